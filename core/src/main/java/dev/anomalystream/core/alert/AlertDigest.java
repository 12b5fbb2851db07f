package dev.anomalystream.core.alert;

import dev.anomalystream.core.detection.Detection;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One email's worth of alerts: those of one alert window. The stream view's drift windows and
 * emerging topics come first, each in its own section, then the single anomalies, highest score
 * first. Listing is capped so a burst cannot produce a megabyte email; the counts in the subject
 * stay exact.
 */
public record AlertDigest(String subject, String body, int anomalies) implements Serializable {
  static final int MAX_TEXT_CHARS = 280;

  public static AlertDigest compose(
      List<Detection> detections, Instant windowStart, Instant windowEnd, int maxListed) {
    return compose(detections, List.of(), windowStart, windowEnd, maxListed);
  }

  public static AlertDigest compose(
      List<Detection> detections,
      List<StreamAlert> streamAlerts,
      Instant windowStart,
      Instant windowEnd,
      int maxListed) {
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
    List<StreamAlert> drift = ofKind(streamAlerts, StreamAlert.Kind.DRIFT);
    List<StreamAlert> topics = ofKind(streamAlerts, StreamAlert.Kind.TOPIC);
    List<String> parts = new ArrayList<>();
    if (!drift.isEmpty()) {
      parts.add(plural(drift.size(), "drifting window"));
    }
    if (!topics.isEmpty()) {
      parts.add(plural(topics.size(), "emerging topic"));
    }
    if (!ranked.isEmpty() || parts.isEmpty()) {
      parts.add(plural(ranked.size(), "anomalous message"));
    }
    String subject =
        String.format(
            Locale.ROOT,
            "[anomaly-stream] %s between %s and %s",
            String.join(", ", parts),
            windowStart,
            windowEnd);
    StringBuilder body = new StringBuilder();
    body.append(subject.substring("[anomaly-stream] ".length())).append(".\n\n");
    section(body, "Drift", drift);
    section(body, "Emerging topics", topics);
    if (!streamAlerts.isEmpty() && !ranked.isEmpty()) {
      body.append("Anomalous messages\n\n");
    }
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

  private static List<StreamAlert> ofKind(List<StreamAlert> alerts, StreamAlert.Kind kind) {
    return alerts.stream().filter(alert -> alert.kind() == kind).toList();
  }

  private static String plural(int count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  private static void section(StringBuilder body, String title, List<StreamAlert> alerts) {
    if (alerts.isEmpty()) {
      return;
    }
    body.append(title).append("\n\n");
    for (StreamAlert alert : alerts) {
      body.append("- ").append(alert.headline()).append('\n');
      alert.details().forEach(line -> body.append("    ").append(line).append('\n'));
    }
    body.append('\n');
  }

  static String shorten(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_TEXT_CHARS
        ? oneLine
        : oneLine.substring(0, MAX_TEXT_CHARS) + "…";
  }
}
