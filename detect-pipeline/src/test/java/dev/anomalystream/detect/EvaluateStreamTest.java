package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.detection.DetectionRowFiles;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.online.LearningMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/evaluate-stream end to end on a stream file written here: 30 minutes of normal tweets the
 * model never saw, a burst of 25 variants of one off-topic text within 4 minutes, and two malformed
 * lines. The real transforms (decode, embed, score with a model trained here, stream view) run
 * bounded on the DirectRunner; rows, windows, topics, window scores and dead letters are read back.
 */
class EvaluateStreamTest {
  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  private static final int NORMAL = 300;
  private static final int BURST = 25;

  @TempDir Path models;
  @TempDir Path work;

  @Test
  void writesRowsWindowsTopicsAndReportsMalformedLines() throws Exception {
    EndToEndModel.publish(models, Instant.parse("2026-11-23T08:00:00Z"));
    Path stream = work.resolve("stream.jsonl");
    List<String> lines = new ArrayList<>();
    List<String> normal = EndToEndModel.unseenTweets(NORMAL);
    for (int i = 0; i < NORMAL; i++) {
      // one every 6 s over 30 minutes
      lines.add(line("n-" + i, normal.get(i), START.plusSeconds(6L * i), "normal"));
    }
    String outage = SyntheticCorpus.offTopic(1, 3).get(0);
    for (int i = 0; i < BURST; i++) {
      // 10:15:00 to 10:18:50, one every 10 s
      lines.add(
          line(
              "burst-" + i,
              outage + " (report " + (i + 1) + ")",
              START.plus(Duration.ofMinutes(15)).plusSeconds(10L * i),
              "burst"));
    }
    lines.add(10, "{\"uid\": \"broken-1\", \"text\": ");
    lines.add(200, "{\"uid\": \"broken-2\", \"text\": \"no time\"}");
    Files.write(stream, lines);
    Path output = work.resolve("out");

    EvaluateStreamOptions options =
        PipelineOptionsFactory.fromArgs(
                "--model=" + models,
                "--modelName=" + EndToEndModel.NAME,
                "--stream=" + stream,
                "--output=" + output)
            .withValidation()
            .as(EvaluateStreamOptions.class);
    PipelineResult result = EvaluateStream.run(options);
    result.waitUntilFinish();
    Map<String, Long> summary = EvaluateStream.summary(result);

    List<Map<String, Object>> rows = DetectionRowFiles.read(output.resolve("rows"));
    assertEquals(NORMAL + BURST, rows.size());
    assertEquals(NORMAL + BURST, uids(rows).size(), "one row per message");
    long scored = rows.stream().filter(r -> r.get("window_score") instanceof Number).count();
    assertEquals(rows.size(), scored, "every message has the score of the window centred on it");
    assertFalse(rows.get(0).containsKey("embedding"), "rows drop the embeddings");
    assertEquals(
        LearningMode.TOPICS, options.getLearn(), "--learn=auto with the kNN score deciding");
    assertTrue(rows.stream().allMatch(r -> r.containsKey("learned")), "the online stage decided");

    List<Map<String, Object>> windows = DetectionRowFiles.read(output.resolve("windows"));
    // 30 minutes of messages in 10-minute windows every minute: 9 starting before the first
    assertEquals(
        Set.copyOf(windowStarts(START.minus(Duration.ofMinutes(9)), 39)),
        windows.stream().map(w -> (String) w.get("window_start")).collect(Collectors.toSet()));
    assertEquals(windows.size(), summary.get("windows"));
    Map<String, Object> first =
        windows.stream()
            .filter(w -> w.get("window_start").equals(START.toString()))
            .findFirst()
            .orElseThrow();
    assertEquals(100, ((Number) first.get("messages")).intValue(), "10:00 to 10:10, every 6 s");
    // the model was trained with a drift reference: every window has a drift decision
    assertTrue(windows.stream().allMatch(w -> w.containsKey("is_drift")), windows::toString);
    assertTrue(first.containsKey("drift_threshold"), first::toString);
    assertTrue(windows.stream().allMatch(w -> "ON_TIME".equals(w.get("pane_timing"))));

    List<Map<String, Object>> scores = DetectionRowFiles.read(output.resolve("window-scores"));
    assertEquals(NORMAL + BURST, scores.size());

    List<Map<String, Object>> topics = DetectionRowFiles.read(output.resolve("topics"));
    assertFalse(topics.isEmpty(), "topics/ holds the burst's topic");
    Map<String, Map<String, Object>> latestPerTopic = new LinkedHashMap<>();
    topics.stream()
        .sorted(Comparator.comparing(t -> ((Number) t.get("size")).intValue()))
        .forEach(t -> latestPerTopic.put((String) t.get("topic_id"), t));
    assertEquals(summary.get("topics"), (long) latestPerTopic.size(), latestPerTopic::toString);
    Map<String, Object> burstTopic =
        latestPerTopic.values().stream()
            .max(Comparator.comparingLong(t -> burstUids(t).size()))
            .orElseThrow();
    assertTrue(
        burstUids(burstTopic).size() >= 0.8 * BURST, "most of the burst in one topic: " + topics);
    @SuppressWarnings("unchecked")
    List<String> topicUids = (List<String>) burstTopic.get("uids");
    assertTrue(
        burstUids(burstTopic).size() >= 0.8 * topicUids.size(), "mostly the burst: " + topicUids);

    List<Map<String, Object>> errors = DetectionRowFiles.read(output.resolve("errors"));
    assertEquals(2, errors.size(), errors::toString);
    assertTrue(errors.stream().allMatch(e -> StreamFileMessages.STAGE.equals(e.get("stage"))));
    assertEquals(
        Set.of(
            "{\"uid\": \"broken-1\", \"text\": ", "{\"uid\": \"broken-2\", \"text\": \"no time\"}"),
        errors.stream().map(e -> (String) e.get("payload")).collect(Collectors.toSet()));
    assertTrue(
        errors.stream().anyMatch(e -> ((String) e.get("reason")).contains("no 'event_time'")),
        errors::toString);

    assertEquals(NORMAL + BURST, summary.get("messages"));
    assertEquals(2, summary.get("malformed_lines"));
    long driftRows = windows.stream().filter(w -> Boolean.TRUE.equals(w.get("is_drift"))).count();
    assertEquals(driftRows, summary.get("drift_windows"));
    assertTrue(driftRows > 0, "the burst's windows drift");
  }

  /**
   * --learn=topics over an hour: normal tweets every 6 s; from minute 10 a new subject (made-up
   * recipes) every 30 s that stays; a single off-topic question now and then. The stream view finds
   * the recipes as a topic, adopts it once it has lasted 10 minutes, and the detector learns its
   * messages: the subject stops alerting; the questions keep alerting and are never learned.
   */
  @Test
  void learningTopicsAdoptsASteadyNewSubjectAndKeepsFlaggingSingleMessages() throws Exception {
    EndToEndModel.publish(models, Instant.parse("2026-11-23T08:00:00Z"));
    List<String> lines = new ArrayList<>();
    List<String> normal = EndToEndModel.unseenTweets(600);
    for (int i = 0; i < 600; i++) {
      lines.add(line("n-" + i, normal.get(i), START.plusSeconds(6L * i + 1), "normal"));
    }
    List<String> recipes = EndToEndModel.recipes(100);
    for (int i = 0; i < 100; i++) {
      lines.add(
          line(
              "r-" + i,
              recipes.get(i),
              START.plus(Duration.ofMinutes(10)).plusSeconds(30L * i),
              "new-subject"));
    }
    List<String> questions = SyntheticCorpus.offTopic(6, 5);
    int[] minutes = {5, 20, 35, 45, 52, 58};
    for (int i = 0; i < minutes.length; i++) {
      lines.add(
          line("q-" + i, questions.get(i), START.plus(Duration.ofMinutes(minutes[i])), "single"));
    }
    Path stream = Files.write(work.resolve("new-normal.jsonl"), lines);
    Path output = work.resolve("out");
    EvaluateStreamOptions options =
        PipelineOptionsFactory.fromArgs(
                "--model=" + models,
                "--modelName=" + EndToEndModel.NAME,
                "--stream=" + stream,
                "--output=" + output,
                "--learn=topics",
                "--topicPersistenceMinutes=10",
                "--topicMinSize=10")
            .withValidation()
            .as(EvaluateStreamOptions.class);
    PipelineResult result = EvaluateStream.run(options);
    result.waitUntilFinish();
    Map<String, Long> summary = EvaluateStream.summary(result);

    Map<String, Map<String, Object>> rows =
        DetectionRowFiles.read(output.resolve("rows")).stream()
            .collect(Collectors.toMap(r -> (String) r.get("uid"), r -> r));
    assertEquals(706, rows.size());
    assertTrue(rows.values().stream().allMatch(r -> r.containsKey("learned")));
    long earlyAlerts = flagged(rows, "r-", 0, 20);
    long lateAlerts = flagged(rows, "r-", 80, 100);
    assertTrue(earlyAlerts >= 14, "the new subject alerts at first: " + earlyAlerts + " of 20");
    assertTrue(lateAlerts <= 4, "after adoption it alerts at most 20 %: " + lateAlerts + " of 20");
    assertTrue(flagged(rows, "q-", 3, 6) >= 2, "single questions still alert after adoption");
    for (int i = 0; i < minutes.length; i++) {
      assertEquals(Boolean.FALSE, rows.get("q-" + i).get("learned"), "a single is never learned");
    }

    List<Map<String, Object>> adopted =
        DetectionRowFiles.read(output.resolve("topics")).stream()
            .filter(t -> Boolean.TRUE.equals(t.get("adopted")))
            .toList();
    assertFalse(adopted.isEmpty(), "the new subject's topic was adopted");
    @SuppressWarnings("unchecked")
    List<String> adoptedUids = (List<String>) adopted.get(0).get("uids");
    assertTrue(
        adoptedUids.stream().filter(uid -> uid.startsWith("r-")).count()
            >= 0.8 * adoptedUids.size(),
        "the adopted topic is the new subject: " + adoptedUids);
    assertTrue(summary.get("topics_adopted") >= 1);
    assertTrue(summary.get("learned_from_topics") >= 10, summary::toString);
    assertTrue(summary.get("memory_peak_bytes") > 0, summary::toString);
  }

  private static long flagged(
      Map<String, Map<String, Object>> rows, String prefix, int from, int to) {
    long count = 0;
    for (int i = from; i < to; i++) {
      count += Boolean.TRUE.equals(rows.get(prefix + i).get("is_anomaly")) ? 1 : 0;
    }
    return count;
  }

  private static String line(String uid, String text, Instant eventTime, String label)
      throws Exception {
    Map<String, String> line = new LinkedHashMap<>();
    line.put("uid", uid);
    line.put("text", text);
    line.put("event_time", eventTime.toString());
    line.put("label", label);
    return Json.MAPPER.writeValueAsString(line);
  }

  private static List<String> windowStarts(Instant first, int count) {
    List<String> starts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      starts.add(first.plus(Duration.ofMinutes(i)).toString());
    }
    return starts;
  }

  private static Set<String> uids(List<Map<String, Object>> rows) {
    return rows.stream().map(r -> (String) r.get("uid")).collect(Collectors.toSet());
  }

  @SuppressWarnings("unchecked")
  private static Set<String> burstUids(Map<String, Object> topic) {
    return ((List<String>) topic.get("uids"))
        .stream().filter(uid -> uid.startsWith("burst-")).collect(Collectors.toSet());
  }
}
