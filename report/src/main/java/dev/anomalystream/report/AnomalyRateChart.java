package dev.anomalystream.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Draws the share of messages flagged per minute of processing time. */
final class AnomalyRateChart {
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  private AnomalyRateChart() {}

  /**
   * @param minutes a non-empty run of consecutive minutes
   */
  static String svg(List<MinuteCount> minutes) {
    double first = minutes.get(0).minute().getEpochSecond() / 60.0;
    double last = minutes.get(minutes.size() - 1).minute().getEpochSecond() / 60.0;
    double highestRate =
        minutes.stream().mapToDouble(MinuteCount::anomalyRate).max().orElse(0) * 100;
    AxisTicks timeTicks = AxisTicks.nice(first, Math.max(last, first + 1), 6);
    SvgPlot plot = new SvgPlot(timeTicks, AxisTicks.nice(0, Math.max(highestRate, 1), 5));
    StringBuilder line = new StringBuilder();
    StringBuilder dots = new StringBuilder();
    for (MinuteCount minute : minutes) {
      double x = plot.x(minute.minute().getEpochSecond() / 60.0);
      double y = plot.y(minute.anomalyRate() * 100);
      line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      dots.append(
          String.format(
              Locale.ROOT,
              "<circle class=\"rate-point\" data-series=\"rate\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\">"
                  + "<title>%s UTC: %s messages, %s anomalies (%s)</title></circle>",
              x,
              y,
              MINUTE.format(minute.minute()),
              Format.count(minute.messages()),
              Format.count(minute.anomalies()),
              Format.percent(minute.anomalyRate())));
    }
    plot.append(
        "<polyline class=\"rate-line\" data-series=\"rate\" points=\""
            + line.toString().trim()
            + "\"/>");
    plot.append(dots.toString());
    // the rate line's colour in the style sheet
    plot.legend("rate", "flagged share per minute", Palette.forClass(1), "line");
    return plot.render(
        "Anomaly rate per minute",
        "processed time (UTC), from " + Format.dateTime(minutes.get(0).minute()),
        "messages flagged (%)",
        minute -> MINUTE.format(Instant.ofEpochSecond(Math.round(minute * 60))));
  }
}
