package dev.anomalystream.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The test broker starts, carries records, and leaves no process behind. */
class KafkaBrokerTest {
  @Test
  void carriesRecordsAndStopsItsProcess() throws Exception {
    KafkaBroker broker = new KafkaBroker();
    broker.beforeAll(null);
    ProcessHandle jvm;
    try {
      jvm = broker.processHandle();
      assertTrue(jvm.isAlive());
      broker.createTopic("smoke", 2);
      assertTrue(broker.topics().contains("smoke"), broker.topics().toString());
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  broker.bootstrapServers(),
                  ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                  StringSerializer.class.getName(),
                  ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                  StringSerializer.class.getName()))) {
        producer.send(new ProducerRecord<>("smoke", "k1", "hello")).get(30, TimeUnit.SECONDS);
        producer.send(new ProducerRecord<>("smoke", "k2", "world")).get(30, TimeUnit.SECONDS);
      }
      List<ConsumerRecord<String, String>> records =
          broker.consumeAtLeast("smoke", 2, Duration.ofSeconds(30));
      assertEquals(
          Map.of("k1", "hello", "k2", "world"),
          Map.of(
              records.get(0).key(), records.get(0).value(),
              records.get(1).key(), records.get(1).value()));
      assertEquals(2, records.size());
    } finally {
      broker.afterAll(null);
    }
    assertFalse(jvm.isAlive(), "the broker's JVM outlived afterAll");
  }
}
