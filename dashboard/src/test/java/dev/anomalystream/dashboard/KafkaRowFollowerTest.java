package dev.anomalystream.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against a real broker: what the detector's PublishDetections writes, read from now on. */
class KafkaRowFollowerTest {
  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  private static ProducerRecord<byte[], byte[]> record(String topic, String uid, String value) {
    return new ProducerRecord<>(
        topic, uid.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void followsTheDetectionsTopicFromItsLatestOffset() throws Exception {
    String topic = "detections";
    KAFKA.createTopic(topic, 2);
    KAFKA.produce(List.of(record(topic, "old", TestRows.line("old", "before", false, 0.1))));
    EventHub hub = new EventHub("e", 100, 100);
    try (KafkaRowFollower follower = new KafkaRowFollower(KAFKA.bootstrapServers(), topic)) {
      follower.start(hub);
      assertTrue(follower.awaitAssignment(Duration.ofSeconds(60)), "no partitions assigned");
      KAFKA.produce(
          List.of(
              record(topic, "u-1", TestRows.line("u-1", "one", false, 0.1)),
              record(topic, "u-2", TestRows.line("u-2", TestRows.HOSTILE_TEXT, true, 0.9)),
              record(topic, "u-3", "{\"not\":\"a row\"}")));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> hub.rows() == 2 && hub.malformed() == 1);
      List<String> uids =
          hub.subscribe(null).replay().stream()
              .map(event -> event.json().substring(0, event.json().indexOf(',')))
              .toList();
      assertEquals(
          List.of("{\"uid\":\"u-1\"", "{\"uid\":\"u-2\""), uids.stream().sorted().toList());
    }
  }
}
