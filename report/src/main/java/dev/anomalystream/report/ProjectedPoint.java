package dev.anomalystream.report;

/**
 * One message's embedding on the first two principal components.
 *
 * @param className "normal" or the anomalous file it came from
 * @param flagged whether the detector flagged it
 * @param text the message, shown on hover; may be null
 */
public record ProjectedPoint(String className, double x, double y, boolean flagged, String text) {}
