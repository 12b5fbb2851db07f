package dev.anomalystream.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.bench.stream.StreamScenarioScore.StreamScenarioScoreOptions;
import dev.anomalystream.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The new-normal figures on a stream and detector output written by hand: 6 h from midnight, the
 * new subject from 01:00, so its settled part starts at 02:00 and the last two hours at 04:00.
 */
class NewNormalScoreTest {
  private static final double EPSILON = 1e-9;

  @TempDir Path dir;

  /** uid, label, time of day, is_anomaly, learned (null: no field). */
  private record Message(String uid, String label, String time, boolean flagged, Boolean learned) {}

  private static final List<Message> MESSAGES =
      List.of(
          // background: 2 of 6 flagged, 1 of the 4 after the change; 2 learned
          new Message("n-1", "joy", "00:30", true, false),
          new Message("n-2", "joy", "00:40", false, false),
          new Message("n-3", "anger", "01:10", true, false),
          new Message("n-4", "joy", "02:00", false, false),
          new Message("n-5", "sadness", "03:00", false, true),
          new Message("n-6", "joy", "05:00", false, true),
          // new subject: half hours from 01:00 flag 2/2, 1/2, 1/2, none, none, 0/1, ..., 0/1;
          // from 02:00 on 1 of 4; 3 learned
          new Message("s-1", "new-subject", "01:05", true, false),
          new Message("s-2", "new-subject", "01:20", true, false),
          new Message("s-3", "new-subject", "01:40", true, true),
          new Message("s-4", "new-subject", "01:50", false, true),
          new Message("s-5", "new-subject", "02:10", false, true),
          new Message("s-6", "new-subject", "02:20", true, false),
          new Message("s-7", "new-subject", "03:30", false, false),
          new Message("s-8", "new-subject", "05:59", false, false),
          // single questions: 4 of 5 caught, all 3 of the last two hours (03:59 is before them)
          new Message("q-1", "off-topic", "00:20", true, false),
          new Message("q-2", "off-topic", "03:59", false, false),
          new Message("q-3", "off-topic", "04:00", true, false),
          new Message("q-4", "off-topic", "05:00", true, false),
          new Message("q-5", "off-topic", "05:30", true, false));

  private Path scenarios;
  private Path output;

  private void write(boolean withLearned) throws IOException {
    scenarios = Files.createDirectories(dir.resolve("scenarios"));
    Files.writeString(
        scenarios.resolve("scenarios.json"),
        """
        {"scenarios": [
          {"name": "new-normal", "file": "new-normal.jsonl", "start": "2026-11-30T00:00:00Z",
           "end": "2026-11-30T06:00:00Z", "change": "2026-11-30T01:00:00Z", "burst_uids": [],
           "sources": {"new-subject": "reviews.txt", "off-topic": "questions.txt"}}
        ]}
        """);
    StringBuilder stream = new StringBuilder();
    StringBuilder rows = new StringBuilder();
    for (Message m : MESSAGES) {
      stream.append(
          String.format(
              "{\"uid\": \"%s\", \"text\": \"t\", \"event_time\": \"2026-11-30T%s:00Z\","
                  + " \"label\": \"%s\"}%n",
              m.uid(), m.time(), m.label()));
      rows.append(row(m.uid(), m.flagged(), withLearned ? m.learned() : null));
    }
    // in the stream but never scored: not a row
    stream.append(
        "{\"uid\": \"n-7\", \"text\": \"t\", \"event_time\": \"2026-11-30T03:00:00Z\","
            + " \"label\": \"joy\"}\n");
    // not in the stream: left out, learned or not
    rows.append(row("x-1", true, withLearned ? true : null));
    Files.writeString(scenarios.resolve("new-normal.jsonl"), stream);

    output = dir.resolve("out");
    Files.writeString(Files.createDirectories(output.resolve("rows")).resolve("rows-1.json"), rows);
    // t1 is adopted in its later row; t2 never; t3 at once: 2 of 3 topics adopted
    Files.writeString(
        Files.createDirectories(output.resolve("topics")).resolve("topics-1.json"),
        topic("t1", false) + topic("t2", false) + topic("t1", true) + topic("t3", true));
  }

  private static String row(String uid, boolean flagged, Boolean learned) {
    return String.format(
        "{\"uid\": \"%s\", \"text\": \"t\", \"is_anomaly\": %s, \"knn_score\": 0.5,"
            + " \"hst_score\": 0.4%s}%n",
        uid, flagged, learned == null ? "" : ", \"learned\": " + learned);
  }

  private static String topic(String id, boolean adopted) {
    return String.format(
        "{\"topic_id\": \"%s\", \"first_window_end\": \"2026-11-30T02:00:00Z\","
            + " \"last_window_end\": \"2026-11-30T02:10:00Z\", \"size\": 5, \"uids\": [],"
            + " \"adopted\": %s}%n",
        id, adopted);
  }

  private ObjectNode run(ByteArrayOutputStream printed, String... extra) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--scenario=new-normal",
                "--scenarios=" + scenarios,
                "--output=" + output,
                "--markdown"));
    args.addAll(List.of(extra));
    StreamScenarioScoreOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .as(StreamScenarioScoreOptions.class);
    return StreamScenarioScore.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  @Test
  void scoresTheNewNormalScenario() throws IOException {
    write(true);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ObjectNode result = run(printed, "--run=learn=all");

    assertEquals("new-normal", result.get("scenario").asText());
    assertEquals(19, result.get("rows").asInt());
    assertEquals(6, result.get("rows_background").asInt());
    assertEquals(8, result.get("rows_new_subject").asInt());
    assertEquals(5, result.get("rows_single").asInt());

    JsonNode halves = result.get("new_subject_alert_rate_by_half_hour");
    assertEquals(10, halves.size());
    List<Integer> messages = new ArrayList<>();
    List<String> rates = new ArrayList<>();
    for (JsonNode half : halves) {
      messages.add(half.get("messages").asInt());
      rates.add(half.get("alert_rate").isNull() ? "-" : half.get("alert_rate").asText());
    }
    assertEquals(List.of(2, 2, 2, 0, 0, 1, 0, 0, 0, 1), messages);
    assertEquals(List.of("1.0", "0.5", "0.5", "-", "-", "0.0", "-", "-", "-", "0.0"), rates);
    assertEquals(270, halves.get(9).get("minutes_after_change").asInt());

    JsonNode settled = result.get("new_subject_after_one_hour");
    assertEquals(4, settled.get("messages").asInt());
    assertEquals(0.25, settled.get("alert_rate").asDouble(), EPSILON);
    assertEquals(0.5, result.get("new_subject_all").get("alert_rate").asDouble(), EPSILON);

    JsonNode last = result.get("single_last_two_hours");
    assertEquals(3, last.get("messages").asInt());
    assertEquals(1.0, last.get("recall").asDouble(), EPSILON);
    assertEquals(0.8, result.get("single_all").get("recall").asDouble(), EPSILON);

    assertEquals(2 / 6.0, result.get("background_all").get("flagged_share").asDouble(), EPSILON);
    assertEquals(
        0.25, result.get("background_after_change").get("flagged_share").asDouble(), EPSILON);

    JsonNode learned = result.get("learned");
    assertEquals(2, learned.get("background").asInt());
    assertEquals(3, learned.get("new_subject").asInt());
    assertEquals(0, learned.get("single").asInt());
    assertEquals(3, result.get("topics_total").asInt());
    assertEquals(2, result.get("topics_adopted").asInt());

    JsonNode targets = result.get("targets");
    assertEquals(0.1, targets.get("new_subject_after_one_hour").get("at_most").asDouble());
    assertTrue(!targets.get("new_subject_after_one_hour").get("pass").asBoolean());
    assertEquals(0.8, targets.get("single_last_two_hours").get("at_least").asDouble());
    assertTrue(targets.get("single_last_two_hours").get("pass").asBoolean());
    assertTrue(!targets.get("background_after_change").get("pass").asBoolean());

    String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length);
    assertEquals(
        "| learn=all | 100 / 50 / 50 / – / – / 0 / – / – / – / 0 | 25.0 % (fail) | 1.00 (pass)"
            + " | 25.0 % (fail) | 2 / 3 / 0 | 2 (3) |",
        lines[0]);
    assertEquals(Json.MAPPER.readTree(result.toString()), Json.MAPPER.readTree(lines[1]));
  }

  @Test
  void withoutLearnedFieldsLearningIsUnreportedNotZero() throws IOException {
    write(false);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ObjectNode result = run(printed);
    assertTrue(result.get("learned").isNull());
    String markdown = printed.toString(StandardCharsets.UTF_8).split("\n")[0];
    assertTrue(markdown.startsWith("| new-normal | "), markdown);
    assertTrue(markdown.endsWith("| – | 2 (3) |"), markdown);
  }

  @Test
  void aTargetWithoutMessagesHasNoVerdict() {
    Scenario.Truth truth =
        new Scenario.Truth(
            "new-normal",
            "new-normal.jsonl",
            Instant.parse("2026-11-30T00:00:00Z"),
            Instant.parse("2026-11-30T06:00:00Z"),
            Instant.parse("2026-11-30T01:00:00Z"),
            List.of());
    // one background message, flagged, before the change: nothing after it to judge
    ObjectNode result =
        NewNormalScore.score(
            truth,
            List.of(
                new NewNormalScore.Row(
                    NewNormalScore.Source.BACKGROUND,
                    Instant.parse("2026-11-30T00:10:00Z"),
                    true,
                    null)),
            List.of());
    for (String target :
        List.of("new_subject_after_one_hour", "single_last_two_hours", "background_after_change")) {
      assertTrue(result.get("targets").get(target).get("pass").isNull(), target);
    }
    assertEquals(1.0, result.get("background_all").get("flagged_share").asDouble(), EPSILON);
    assertEquals(
        "| new-normal | – / – / – / – / – / – / – / – / – / – | – | – | – | – | 0 (0) |",
        NewNormalScore.markdownRow(result, "new-normal"));
  }
}
