package dev.anomalystream.bench.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.bench.stream.StreamScenarios.StreamScenariosOptions;
import dev.anomalystream.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tool on made-up corpus files: what it writes is what the scorer and evaluate-stream read. */
class StreamScenariosTest {
  @TempDir Path dir;

  private Path writeCorpora() throws IOException {
    Path data = Files.createDirectories(dir.resolve("data"));
    List<String> normal = new ArrayList<>();
    for (String label : List.of("sadness", "joy", "love", "anger", "fear", "surprise")) {
      for (int i = 0; i < 5; i++) {
        normal.add("i feel " + label + " " + i + ";" + label);
      }
    }
    normal.add("a line without a label");
    Files.write(data.resolve("validation.txt"), normal);
    Files.write(
        data.resolve("questions.txt"),
        IntStream.range(0, 40)
            .mapToObj(i -> (i % 2 == 0 ? "how many cats " : "who wrote book ") + i)
            .toList());
    Files.write(
        data.resolve("reviews.txt"),
        IntStream.range(0, 40).mapToObj(i -> "a fine film " + i).toList());
    return data;
  }

  private ObjectNode run(Path data, Path output) throws IOException {
    StreamScenariosOptions options =
        PipelineOptionsFactory.fromArgs(
                "--output=" + output,
                "--seed=5",
                "--normal=" + data.resolve("validation.txt"),
                "--offTopic=" + data.resolve("questions.txt") + "," + data.resolve("reviews.txt"),
                "--burstTexts=" + data.resolve("questions.txt"),
                "--burstSize=10",
                "--normalHours=2",
                "--hours=1",
                "--changeMinutes=30",
                "--newSubject=" + data.resolve("reviews.txt"),
                "--singles=" + data.resolve("questions.txt"),
                "--newNormalHours=2",
                "--newSubjectAfterMinutes=30")
            .as(StreamScenariosOptions.class);
    return StreamScenarios.run(
        options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @Test
  void writesEveryScenarioAndItsGroundTruthTheSameForTheSameSeed() throws IOException {
    Path data = writeCorpora();
    Path first = dir.resolve("first");
    ObjectNode summary = run(data, first);
    run(data, dir.resolve("second"));
    for (String name :
        List.of("normal-24h", "burst", "rise", "mix-shift", "new-normal", "scenarios")) {
      String file = name.equals("scenarios") ? "scenarios.json" : name + ".jsonl";
      assertArrayEquals(
          Files.readAllBytes(first.resolve(file)),
          Files.readAllBytes(dir.resolve("second").resolve(file)),
          file);
    }

    List<String> lines = Files.readAllLines(first.resolve("burst.jsonl"));
    assertEquals(summary.get("messages").get("burst").asInt(), lines.size());
    List<JsonNode> messages = new ArrayList<>();
    for (String line : lines) {
      JsonNode message = Json.MAPPER.readTree(line);
      assertEquals(
          List.of("uid", "text", "event_time", "label"), fieldNames(message), "fields of " + line);
      messages.add(message);
    }
    Scenario.Truth truth =
        StreamScenarioScore.truth(first.resolve(StreamScenarioScore.CATALOG), "burst");
    assertEquals(Instant.parse("2026-11-30T00:30:00Z"), truth.change());
    assertEquals(Instant.parse("2026-11-30T01:00:00Z"), truth.end());
    assertEquals("burst.jsonl", truth.file());
    Map<String, String> burstTexts =
        messages.stream()
            .filter(m -> truth.burstUids().contains(m.get("uid").asText()))
            .collect(Collectors.toMap(m -> m.get("uid").asText(), m -> m.get("text").asText()));
    assertEquals(10, burstTexts.size());
    assertTrue(
        burstTexts.values().stream().allMatch(t -> t.startsWith("how many ")),
        "the default pattern picks one kind: " + burstTexts.values());
    Map<String, Boolean> offTopic = StreamScenarioScore.offTopicByUid(first.resolve(truth.file()));
    assertEquals(10, offTopic.values().stream().filter(b -> b).count());
  }

  @Test
  void theNewNormalGroundTruthSaysItsChangeAndSources() throws IOException {
    Path data = writeCorpora();
    Path output = dir.resolve("out");
    ObjectNode summary = run(data, output);
    JsonNode entry = null;
    for (JsonNode scenario :
        Json.MAPPER.readTree(output.resolve("scenarios.json").toFile()).get("scenarios")) {
      if (scenario.get("name").asText().equals("new-normal")) {
        entry = scenario;
      }
    }
    assertEquals("2026-11-30T00:30:00Z", entry.get("change").asText());
    assertEquals("2026-11-30T02:00:00Z", entry.get("end").asText());
    assertEquals(
        data.resolve("reviews.txt").toString(), entry.get("sources").get("new-subject").asText());
    assertEquals(
        data.resolve("questions.txt").toString(), entry.get("sources").get("off-topic").asText());
    Map<String, Long> labels = new HashMap<>();
    for (String line : Files.readAllLines(output.resolve("new-normal.jsonl"))) {
      labels.merge(Json.MAPPER.readTree(line).get("label").asText(), 1L, Long::sum);
    }
    assertEquals(labels.get("new-subject"), entry.get("labels").get("new-subject").asLong());
    assertEquals(labels.get("off-topic"), entry.get("labels").get("off-topic").asLong());
    assertEquals(
        summary.get("messages").get("new-normal").asLong(),
        labels.values().stream().mapToLong(Long::longValue).sum());
    // the scenarios with one kind of off-topic text say their source at the top level
    assertTrue(
        !Json.MAPPER
            .readTree(output.resolve("scenarios.json").toFile())
            .get("scenarios")
            .get(1)
            .has("sources"));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
