package dev.anomalystream.detect;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.testing.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The detector with {@code --source=kafka} on the DirectRunner and on Flink's embedded cluster
 * (checkpointing, one subtask: see {@link DetectOnFlinkTest}) against a real broker: records
 * published before it starts (a backlog: the consumer group starts at the earliest offset), a uid
 * sent twice, records that cannot become messages and messages the decode rules refuse; rows and
 * dead letters as NDJSON, and the rows published back to a Kafka topic.
 */
class DetectFromKafkaEndToEndTest {
  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  private static final byte[] NOT_UTF8 = {(byte) 0xC3, 0x28};
  @TempDir static Path models;
  @TempDir Path out;

  @BeforeAll
  static void trainModel() throws Exception {
    EndToEndModel.publish(models, Instant.parse("2026-11-30T05:00:00Z"));
  }

  static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  static ProducerRecord<byte[], byte[]> record(
      String topic, String key, byte[] value, Instant timestamp, String eventTime) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("event_time", utf8(eventTime));
    return new ProducerRecord<>(topic, null, timestamp.toEpochMilli(), utf8(key), value, headers);
  }

  @ParameterizedTest
  @ValueSource(strings = {"DirectRunner", "FlinkRunner"})
  void everyGoodRecordGetsOneRowOnFilesAndTheDetectionsTopicAndBadOnesAreDeadLettered(String runner)
      throws Exception {
    String input = "tweets-in-" + runner;
    String detectionsTopic = "detections-out-" + runner;
    KAFKA.createTopic(input, 2);
    Map<String, String> good = new LinkedHashMap<>();
    EndToEndModel.unseenTweets(10).forEach(t -> good.put("normal-" + good.size(), t));
    SyntheticCorpus.offTopic(3, 5).forEach(t -> good.put("offtopic-" + good.size(), t));
    // the element timestamp is the record's: it becomes the row's publish_time
    Instant recordTime = Instant.parse("2026-11-30T05:10:00Z");
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    good.forEach(
        (uid, text) ->
            records.add(record(input, uid, utf8(text), recordTime, recordTime.toString())));
    String now = Instant.now().toString();
    // a redelivery
    records.add(record(input, "normal-0", utf8(good.get("normal-0")), Instant.now(), now));
    records.add(record(input, null, utf8("a record without a key"), Instant.now(), now));
    records.add(record(input, "bad-tombstone", null, Instant.now(), now));
    records.add(record(input, "bad-encoding", NOT_UTF8, Instant.now(), now));
    records.add(record(input, "bad-long", utf8("x".repeat(301)), Instant.now(), now));
    records.add(record(input, "bad-time", utf8("a fine text"), Instant.now(), "yesterday"));
    KAFKA.produce(records);

    PipelineResult result =
        DetectPipeline.run(
            options(runner, input, "--detectionsTopic=" + detectionsTopic, "--maxChars=300"));
    try {
      assertTrue(KAFKA.topics().contains(detectionsTopic), "created at launch");
      await("13 detection rows")
          .atMost(Duration.ofSeconds(180))
          .until(() -> jsonLines("rows", "detections").size(), n -> n >= 13);
      await("no 14th row (the uid sent twice)")
          .during(Duration.ofSeconds(6))
          .atMost(Duration.ofSeconds(15))
          .until(() -> jsonLines("rows", "detections").size(), n -> n == 13);
      Map<String, JsonNode> rows = byUid(jsonLines("rows", "detections"));
      assertEquals(good.keySet(), rows.keySet());
      JsonNode row = rows.get("normal-1");
      assertEquals(good.get("normal-1"), row.get("text").asText());
      assertEquals(recordTime.toString(), row.get("publish_time").asText());
      assertEquals(recordTime.toString(), row.get("event_time").asText());

      Set<String> reasons =
          await("5 dead letters")
              .atMost(Duration.ofSeconds(60))
              .until(() -> jsonLines("errors", "errors"), e -> e.size() >= 5)
              .stream()
              .map(e -> e.get("stage").asText() + ": " + e.get("reason").asText())
              .collect(Collectors.toSet());
      assertEquals(
          Set.of(
              "read-kafka: record has no key (the uid)",
              "read-kafka: record has no value (a tombstone)",
              "decode: payload is not valid UTF-8",
              "decode: text has 301 characters, more than the maximum of 300",
              "decode: event_time 'yesterday' is not an ISO-8601 instant"),
          reasons);

      List<ConsumerRecord<String, String>> published =
          KAFKA.consumeAtLeast(detectionsTopic, 13, Duration.ofSeconds(60));
      assertEquals(13, published.size());
      for (ConsumerRecord<String, String> detection : published) {
        JsonNode json = Json.MAPPER.readTree(detection.value());
        assertEquals(detection.key(), json.get("uid").asText());
        assertEquals(rows.get(detection.key()), json, "the same row as the NDJSON file");
        assertTrue(json.get("is_anomaly").isBoolean(), detection.value());
      }
      assertEquals(
          good.keySet(), published.stream().map(ConsumerRecord::key).collect(Collectors.toSet()));
    } finally {
      result.cancel();
    }
  }

  /** The detector on {@code runner} reading {@code input} from the earliest offset. */
  private DetectOptions options(String runner, String input, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--runner=" + runner,
                "--flinkMaster=[local]",
                "--parallelism=1",
                "--attachedMode=false",
                "--checkpointingInterval=2000",
                "--source=kafka",
                "--bootstrapServers=" + KAFKA.bootstrapServers(),
                "--inputTopic=" + input,
                "--consumerGroup=detector-" + input,
                "--model=" + models,
                "--modelName=" + EndToEndModel.NAME,
                "--modelRefreshSeconds=0",
                "--outputDirectory=" + out,
                "--outboxDirectory=" + out.resolve("outbox"),
                "--fileFlushSeconds=2",
                "--maxBatchWaitMillis=200",
                "--blockOnRun=false"));
    args.addAll(List.of(extra));
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .withValidation()
        .as(DetectOptions.class);
  }

  /**
   * The broker goes down while the detector runs and comes back: the consumer reconnects, and the
   * records sent before, while and after it was down each get one row.
   */
  @Test
  void aBrokerRestartedUnderARunningDetectorLosesNothing() throws Exception {
    KAFKA.createTopic("restarted-in", 1);
    List<String> texts = EndToEndModel.unseenTweets(30);
    Map<String, String> before = EndToEndModel.byUid("before-", texts.subList(0, 10));
    Map<String, String> after = EndToEndModel.byUid("after-", texts.subList(10, 30));
    KAFKA.produce(records("restarted-in", before));
    PipelineResult result = DetectPipeline.run(options("DirectRunner", "restarted-in"));
    try {
      await("rows of the records sent before the restart")
          .atMost(Duration.ofSeconds(180))
          .until(() -> uids(jsonLines("rows", "detections")).containsAll(before.keySet()));
      KAFKA.restart(() -> sleepQuietly(Duration.ofSeconds(5)));
      KAFKA.produce(records("restarted-in", after));

      await("rows of the records sent after it")
          .atMost(Duration.ofSeconds(180))
          .until(() -> uids(jsonLines("rows", "detections")).containsAll(after.keySet()));
      await("and no row twice")
          .during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(15))
          .until(() -> jsonLines("rows", "detections").size(), n -> n == 30);
      assertEquals(PipelineResult.State.RUNNING, result.getState());
    } finally {
      result.cancel();
    }
  }

  private static List<ProducerRecord<byte[], byte[]>> records(
      String topic, Map<String, String> byUid) {
    String now = Instant.now().toString();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    byUid.forEach((uid, text) -> records.add(record(topic, uid, utf8(text), Instant.now(), now)));
    return records;
  }

  private static Set<String> uids(List<JsonNode> rows) {
    return rows.stream().map(r -> r.get("uid").asText()).collect(Collectors.toSet());
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<String, JsonNode> byUid(List<JsonNode> rows) {
    Map<String, JsonNode> byUid =
        rows.stream().collect(Collectors.toMap(r -> r.get("uid").asText(), Function.identity()));
    assertEquals(rows.size(), byUid.size(), "one row per uid");
    return byUid;
  }

  /** The JSON lines of the finished files {@code <out>/<directory>/<prefix>*.json}. */
  private List<JsonNode> jsonLines(String directory, String prefix) throws IOException {
    Path dir = out.resolve(directory);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<JsonNode> lines = new ArrayList<>();
      files
          .filter(f -> f.getFileName().toString().startsWith(prefix))
          .filter(f -> f.toString().endsWith(".json"))
          .forEach(
              f -> {
                try {
                  for (String line : Files.readAllLines(f)) {
                    lines.add(Json.MAPPER.readTree(line));
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      return lines;
    }
  }
}
