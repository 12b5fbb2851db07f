package dev.anomalystream.core.alert;

import dev.anomalystream.core.detection.Detection;
import java.io.Serializable;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One email's worth of anomalies: those of one alert window, highest score first. Listing is capped
 * so a burst cannot produce a megabyte email; the count in the subject stays exact.
 */
public record AlertDigest(String subject, String body, int anomalies) implements Serializable {
  static final int MAX_TEXT_CHARS = 280;

  public static AlertDigest compose(
      List<Detection> detections, Instant windowStart, Instant windowEnd, int maxListed) {
    List<Detection> ranked =
        detections.stream()
            .sorted(
                Comparator.comparing(
                        (Detection d) ->
                            d.decisionScore() == null
                                ? Double.NEGATIVE_INFINITY
                                : d.decisionScore())
                    .reversed()
                    .thenComparing(d -> d.getMessage().getUid()))
            .toList();
    String subject =
        String.format(
            Locale.ROOT,
            "[anomaly-stream] %d anomalous message%s between %s and %s",
            ranked.size(),
            ranked.size() == 1 ? "" : "s",
            windowStart,
            windowEnd);
    StringBuilder body = new StringBuilder();
    body.append(subject.substring("[anomaly-stream] ".length())).append(".\n\n");
    int listed = Math.min(maxListed, ranked.size());
    for (int i = 0; i < listed; i++) {
      Detection d = ranked.get(i);
      body.append(
          String.format(
              Locale.ROOT,
              "%d. uid %s  score %s  (%s, model %s)%n   %s%n",
              i + 1,
              d.getMessage().getUid(),
              d.decisionScore() == null
                  ? "n/a"
                  : String.format(Locale.ROOT, "%.4f", d.decisionScore()),
              d.getDecision(),
              d.getModelVersion(),
              shorten(d.getMessage().getText())));
    }
    if (ranked.size() > listed) {
      body.append("\n... and ")
          .append(ranked.size() - listed)
          .append(" more; every one is in the detections table (is_anomaly = true).\n");
    }
    return new AlertDigest(subject, body.toString(), ranked.size());
  }

  private static String shorten(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_TEXT_CHARS
        ? oneLine
        : oneLine.substring(0, MAX_TEXT_CHARS) + "…";
  }
}
