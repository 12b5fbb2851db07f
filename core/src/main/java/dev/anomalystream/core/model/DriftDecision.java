package dev.anomalystream.core.model;

/**
 * What {@link DriftReference#decide} found for one window.
 *
 * @param score {@code -log10(p)} of the window's chi-square statistic; 0 for a window too small to
 *     judge
 * @param threshold the score a window must reach at the detector's slide
 * @param effect Cohen's w, {@code sqrt(chi2 / messages)}: how far the window's mix is from the
 *     reference whatever its size
 * @param minEffect the effect a window must reach as well
 * @param drift whether the window drifted: {@code score >= threshold && effect >= minEffect}
 */
public record DriftDecision(
    double score, double threshold, double effect, double minEffect, boolean drift)
    implements java.io.Serializable {}
