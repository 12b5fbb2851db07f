package dev.anomalystream.core.model;

/** PLACEHOLDER until the drift branch merges. */
public record DriftDecision(
    double score, double threshold, double effect, double minEffect, boolean drift)
    implements java.io.Serializable {}
