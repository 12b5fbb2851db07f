package dev.anomalystream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anomalystream.core.dataset.MessageUids;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.testing.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ingest pipeline on the DirectRunner with {@code --sink=kafka} against a real broker. */
class IngestToKafkaEndToEndTest {
  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @TempDir Path dir;

  private PipelineResult ingest(String topic, Path input, String... extra) throws IOException {
    return CorpusFixture.ingest(
        List.of("--sink=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers()),
        dir,
        topic,
        input,
        extra);
  }

  private static Map<String, String> headers(ConsumerRecord<String, String> record) {
    Map<String, String> headers = new HashMap<>();
    for (Header header : record.headers()) {
      assertFalse(headers.containsKey(header.key()), "header " + header.key() + " twice");
      headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    return headers;
  }

  /** On the DirectRunner and on Flink's embedded cluster (two parallel subtasks, batch). */
  @ParameterizedTest
  @ValueSource(strings = {"DirectRunner", "FlinkRunner"})
  void writesEveryGoodLineAsAUidKeyedRecordAndRejectsTheRest(String runner) throws Exception {
    Path input = CorpusFixture.write(dir);
    Instant before = Instant.now();
    String topic = "corpus-k1-" + runner;
    KAFKA.createTopic(topic, 2);

    PipelineResult result =
        ingest(topic, input, "--runner=" + runner, "--flinkMaster=[local]", "--parallelism=2");
    assertEquals(PipelineResult.State.DONE, result.getState());
    List<ConsumerRecord<String, String>> records =
        KAFKA.consumeAtLeast(topic, 5, Duration.ofSeconds(30));

    assertEquals(5, records.size());
    Map<String, ConsumerRecord<String, String>> byText =
        records.stream().collect(Collectors.toMap(ConsumerRecord::value, r -> r));
    assertEquals(
        Set.of(
            "i feel sad today",
            "i am furious with them",
            "what a lovely day",
            CorpusFixture.SURPRISE,
            "im so scared of the dark"),
        byText.keySet());
    ConsumerRecord<String, String> furious = byText.get("i am furious with them");
    assertEquals(MessageUids.uid("train", 2, "i am furious with them"), furious.key());
    assertEquals(
        MessageUids.uid("train", 6, CorpusFixture.SURPRISE),
        byText.get(CorpusFixture.SURPRISE).key());
    Map<String, String> headers = headers(furious);
    assertEquals(Set.of("label", "split", "event_time"), headers.keySet());
    assertEquals("anger", headers.get("label"));
    assertEquals("train", headers.get("split"));
    for (ConsumerRecord<String, String> record : records) {
      Instant eventTime = Instant.parse(headers(record).get("event_time"));
      assertFalse(eventTime.isBefore(before.minusSeconds(1)), eventTime + " before the run");
      // the record's own timestamp is the event time, set by the producer
      assertEquals(TimestampType.CREATE_TIME, record.timestampType());
      assertEquals(eventTime.toEpochMilli(), record.timestamp(), record.value());
    }
    assertEquals(5, records.stream().map(ConsumerRecord::key).distinct().count());

    List<JsonNode> rejects = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("rejects.json"))) {
      rejects.add(Json.MAPPER.readTree(line));
    }
    assertEquals(
        Set.of("not valid UTF-8", "unknown label 'boredom'"),
        rejects.stream().map(r -> r.get("reason").asText()).collect(Collectors.toSet()));
  }

  @Test
  void createsAMissingTopicAndHonoursClassesLimitAndUidAttribute() throws Exception {
    Path input = CorpusFixture.write(dir);
    assertFalse(KAFKA.topics().contains("corpus-k2"));

    ingest(
        "corpus-k2",
        input,
        "--classes=sadness,anger,surprise,fear",
        "--limit=3",
        "--uidAttribute=message_uid");

    assertTrue(KAFKA.topics().contains("corpus-k2"));
    List<ConsumerRecord<String, String>> records =
        KAFKA.consumeAtLeast("corpus-k2", 3, Duration.ofSeconds(30));
    assertEquals(
        Set.of("i feel sad today", "i am furious with them", CorpusFixture.SURPRISE),
        records.stream().map(ConsumerRecord::value).collect(Collectors.toSet()));
    // the uid is the key, under whatever attribute name, and not repeated as a header
    for (ConsumerRecord<String, String> record : records) {
      assertTrue(record.key().length() > 8, record.key());
      assertEquals(Set.of("label", "split", "event_time"), headers(record).keySet());
    }
  }

  @Test
  void pacedReplaySpreadsRecordsOverTime() throws Exception {
    Path input = CorpusFixture.write(dir);

    ingest("corpus-k3", input, "--rate=10");
    List<ConsumerRecord<String, String>> records =
        KAFKA.consumeAtLeast("corpus-k3", 5, Duration.ofSeconds(30));

    assertEquals(5, records.size());
    List<Long> sent = records.stream().map(ConsumerRecord::timestamp).sorted().toList();
    // 5 slots at 10/s span 400 ms; all at once would span a few milliseconds
    long spreadMillis = sent.get(4) - sent.get(0);
    assertTrue(spreadMillis >= 350, "records spread over " + spreadMillis + " ms");
    for (ConsumerRecord<String, String> record : records) {
      assertEquals(
          Instant.parse(headers(record).get("event_time")).toEpochMilli(), record.timestamp());
    }
  }
}
