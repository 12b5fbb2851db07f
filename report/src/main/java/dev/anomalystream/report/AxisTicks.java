package dev.anomalystream.report;

import java.util.Locale;

/**
 * The round-numbered ticks of one linear axis and the domain they span, which is the data range
 * widened to whole steps.
 */
record AxisTicks(double[] values, double min, double max, int decimals) {

  /**
   * About {@code target} ticks (steps of 1, 2 or 5 times a power of ten) covering {@code [min,
   * max]}; a zero-width range is widened so the axis still has a scale.
   */
  static AxisTicks nice(double min, double max, int target) {
    if (max <= min) {
      double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
      min -= pad;
      max += pad;
    }
    double raw = (max - min) / target;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double residual = raw / magnitude;
    double step = (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10) * magnitude;
    double first = Math.floor(min / step + 1e-9) * step;
    double last = Math.ceil(max / step - 1e-9) * step;
    int count = (int) Math.round((last - first) / step) + 1;
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      values[i] = first + i * step;
    }
    int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
    return new AxisTicks(values, first, last, decimals);
  }

  /** A tick label with as many decimals as the step needs. */
  String format(double value) {
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }
}
