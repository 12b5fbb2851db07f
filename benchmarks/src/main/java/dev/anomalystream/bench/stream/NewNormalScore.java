package dev.anomalystream.bench.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The figures of the new-normal scenario (issue 17, online learning), from the rows and topics
 * {@code scripts/evaluate-stream} wrote for it and the labels of its stream file. A detector that
 * learns should stop flagging the new subject once it is part of the traffic, keep flagging the
 * single off-topic messages, and not flag more of the background because of what it learned:
 *
 * <ul>
 *   <li>the alert rate on the new subject (its share of messages with {@code is_anomaly}) per half
 *       hour from the change, and from one hour after the change to the end (target at most 10 %);
 *   <li>the recall on the single off-topic messages of the last two hours (target at least 0.8);
 *   <li>the share of background messages flagged, overall and after the change (target after the
 *       change at most 2 %: before it, learning has had nothing new to learn);
 *   <li>how many messages were learned ({@code learned} true), by source, and how many topics were
 *       adopted ({@code adopted} true in a topic row).
 * </ul>
 *
 * Called by {@link StreamScenarioScore} for the scenario {@value ScenarioBuilder#NEW_NORMAL}.
 */
final class NewNormalScore {
  /** The targets. */
  static final double NEW_SUBJECT_ALERT_TARGET = 0.10;

  static final double SINGLE_RECALL_TARGET = 0.8;
  static final double BACKGROUND_TARGET = 0.02;

  /** The new subject's alert-rate target holds from this long after the change on. */
  static final Duration SETTLED = Duration.ofHours(1);

  /** The single messages' recall target holds over this last part of the stream. */
  static final Duration LAST = Duration.ofHours(2);

  static final Duration STEP = Duration.ofMinutes(30);

  /** Where a message comes from, by its label in the stream file. */
  enum Source {
    BACKGROUND("background"),
    NEW_SUBJECT("new_subject"),
    SINGLE("single");

    final String key;

    Source(String key) {
      this.key = key;
    }

    static Source of(StreamMessage message) {
      return switch (message.label()) {
        case StreamMessage.NEW_SUBJECT -> NEW_SUBJECT;
        case StreamMessage.OFF_TOPIC -> SINGLE;
        default -> BACKGROUND;
      };
    }
  }

  /**
   * A detection row joined with its stream message.
   *
   * @param learned the row's {@code learned}, null when the row has no such field
   */
  record Row(Source source, Instant eventTime, boolean flagged, Boolean learned) {}

  private NewNormalScore() {}

  /** The messages of a stream file by uid. */
  static Map<String, StreamMessage> stream(Path file) throws IOException {
    Map<String, StreamMessage> byUid = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        StreamMessage message = StreamMessage.of(Json.MAPPER.readTree(line));
        byUid.put(message.uid(), message);
      }
    }
    return byUid;
  }

  /**
   * Detection rows joined with the stream by uid, source and event time taken from the stream (the
   * ground truth); rows of unknown uids are left out.
   */
  static List<Row> rows(List<JsonNode> rows, Map<String, StreamMessage> stream) {
    List<Row> joined = new ArrayList<>();
    for (JsonNode row : rows) {
      StreamMessage message = stream.get(row.path(DetectionRow.UID).asText());
      if (message != null) {
        JsonNode learned = row.get("learned");
        joined.add(
            new Row(
                Source.of(message),
                message.eventTime(),
                row.path(DetectionRow.IS_ANOMALY).asBoolean(),
                learned == null || learned.isNull() ? null : learned.asBoolean()));
      }
    }
    return joined;
  }

  /** The figures; every field is present, null when it does not apply. */
  static ObjectNode score(Scenario.Truth truth, List<Row> rows, List<JsonNode> topicRows) {
    if (truth.change() == null) {
      throw new IllegalArgumentException(truth.name() + " has no change time in scenarios.json");
    }
    Instant change = truth.change();
    Instant settled = change.plus(SETTLED);
    Instant last = truth.end().minus(LAST);
    ObjectNode result = Json.MAPPER.createObjectNode();
    result.put("scenario", truth.name());
    result.put("change", change.toString());
    result.put("end", truth.end().toString());
    result.put("rows", rows.size());
    for (Source source : Source.values()) {
      result.put("rows_" + source.key, rows.stream().filter(r -> r.source() == source).count());
    }

    ArrayNode halfHours = result.putArray("new_subject_alert_rate_by_half_hour");
    for (Instant from = change; from.isBefore(truth.end()); from = from.plus(STEP)) {
      Instant start = from;
      Instant to = from.plus(STEP);
      Rate rate =
          rate(
              rows,
              r ->
                  r.source() == Source.NEW_SUBJECT
                      && !r.eventTime().isBefore(start)
                      && r.eventTime().isBefore(to));
      ObjectNode half = halfHours.addObject();
      half.put("minutes_after_change", Duration.between(change, start).toMinutes());
      rate.put(half, "alert_rate");
    }
    Rate settledRate =
        rate(rows, r -> r.source() == Source.NEW_SUBJECT && !r.eventTime().isBefore(settled));
    settledRate.put(result.putObject("new_subject_after_one_hour"), "alert_rate");
    rate(rows, r -> r.source() == Source.NEW_SUBJECT)
        .put(result.putObject("new_subject_all"), "alert_rate");

    Rate lastRecall = rate(rows, r -> r.source() == Source.SINGLE && !r.eventTime().isBefore(last));
    lastRecall.put(result.putObject("single_last_two_hours"), "recall");
    rate(rows, r -> r.source() == Source.SINGLE).put(result.putObject("single_all"), "recall");

    rate(rows, r -> r.source() == Source.BACKGROUND)
        .put(result.putObject("background_all"), "flagged_share");
    Rate backgroundAfter =
        rate(rows, r -> r.source() == Source.BACKGROUND && !r.eventTime().isBefore(change));
    backgroundAfter.put(result.putObject("background_after_change"), "flagged_share");

    // null, not zeros, when no row says: the detector did not report learning at all
    if (rows.stream().anyMatch(r -> r.learned() != null)) {
      ObjectNode learned = result.putObject("learned");
      for (Source source : Source.values()) {
        learned.put(
            source.key,
            rows.stream()
                .filter(r -> r.source() == source && Boolean.TRUE.equals(r.learned()))
                .count());
      }
    } else {
      result.putNull("learned");
    }

    Set<String> topics = new HashSet<>();
    Set<String> adopted = new HashSet<>();
    for (JsonNode topic : topicRows) {
      String id = topic.path("topic_id").asText();
      topics.add(id);
      if (topic.path("adopted").asBoolean()) {
        adopted.add(id);
      }
    }
    result.put("topics_total", topics.size());
    result.put("topics_adopted", adopted.size());

    ObjectNode targets = result.putObject("targets");
    target(
        targets,
        "new_subject_after_one_hour",
        settledRate.value(),
        NEW_SUBJECT_ALERT_TARGET,
        false);
    target(targets, "single_last_two_hours", lastRecall.value(), SINGLE_RECALL_TARGET, true);
    target(targets, "background_after_change", backgroundAfter.value(), BACKGROUND_TARGET, false);
    return result;
  }

  /** Flagged rows among the rows a filter picks. */
  private record Rate(long messages, long flagged) {
    Double value() {
      return messages == 0 ? null : (double) flagged / messages;
    }

    void put(ObjectNode node, String name) {
      node.put("messages", messages);
      node.put("flagged", flagged);
      node.put(name, value());
    }
  }

  private static Rate rate(List<Row> rows, Predicate<Row> filter) {
    List<Row> picked = rows.stream().filter(filter).toList();
    return new Rate(picked.size(), picked.stream().filter(Row::flagged).count());
  }

  /** The target and whether the value meets it; pass is null without a value. */
  private static void target(
      ObjectNode targets, String name, Double value, double bound, boolean atLeast) {
    ObjectNode target = targets.putObject(name);
    target.put(atLeast ? "at_least" : "at_most", bound);
    target.put("value", value);
    target.put("pass", value == null ? null : atLeast ? value >= bound : value <= bound);
  }

  /**
   * The run's row of the table in docs/QUALITY.md: {@code | run | new-subject alerts per half hour
   * (%) | new subject after 1 h | single recall, last 2 h | background flagged after the change |
   * learned (background / new subject / single) | topics adopted (of all) |}.
   *
   * @param run the first column: what the run was (its {@code --learn} mode, say)
   */
  static String markdownRow(JsonNode result, String run) {
    String perHalfHour =
        toList(result.get("new_subject_alert_rate_by_half_hour")).stream()
            .map(half -> number(half.get("alert_rate"), 100, 0))
            .collect(Collectors.joining(" / "));
    JsonNode learned = result.get("learned");
    JsonNode targets = result.get("targets");
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %s | %s | %s | %d (%d) |",
        run,
        perHalfHour,
        judged(targets.get("new_subject_after_one_hour"), 100, 1, " %"),
        judged(targets.get("single_last_two_hours"), 1, 2, ""),
        judged(targets.get("background_after_change"), 100, 1, " %"),
        learned.isNull()
            ? "–"
            : learned.get("background").asLong()
                + " / "
                + learned.get("new_subject").asLong()
                + " / "
                + learned.get("single").asLong(),
        result.get("topics_adopted").asLong(),
        result.get("topics_total").asLong());
  }

  private static List<JsonNode> toList(JsonNode array) {
    List<JsonNode> items = new ArrayList<>();
    array.forEach(items::add);
    return items;
  }

  /** A target's value and verdict, {@code 4.1 % (pass)}; a dash without a value. */
  private static String judged(JsonNode target, double scale, int decimals, String unit) {
    JsonNode value = target.get("value");
    return value.isNull()
        ? "–"
        : number(value, scale, decimals)
            + unit
            + (target.get("pass").asBoolean() ? " (pass)" : " (fail)");
  }

  private static String number(JsonNode value, double scale, int decimals) {
    return value == null || value.isNull()
        ? "–"
        : String.format(Locale.ROOT, "%." + decimals + "f", scale * value.asDouble());
  }
}
