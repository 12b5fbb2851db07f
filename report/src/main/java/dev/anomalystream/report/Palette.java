package dev.anomalystream.report;

/** The series colours every chart shares, so a class keeps its colour from chart to chart. */
final class Palette {
  /** The pooled ROC curve, the operating point and the "flagged" key. */
  static final String POOLED = "#222222";

  private static final String NORMAL = "#6f9fd8";

  /** Okabe–Ito colours, distinguishable with the common colour-vision deficiencies. */
  private static final String[] ANOMALOUS = {
    "#D55E00", "#CC79A7", "#009E73", "#E69F00", "#0072B2", "#F0E442"
  };

  private Palette() {}

  /** Class 0 is the normal set; the anomalous sets after it cycle through {@link #ANOMALOUS}. */
  static String forClass(int classIndex) {
    return classIndex == 0 ? NORMAL : ANOMALOUS[(classIndex - 1) % ANOMALOUS.length];
  }
}
