package dev.anomalystream.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the detections topic ({@code PublishDetections}: one compact JSON row per record, key =
 * uid) from its latest offset, as a consumer group of its own: a dashboard shows what happens from
 * now on (the recent-rows buffer fills as it runs) and never takes records from another reader.
 */
final class KafkaRowFollower implements RowSource {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaRowFollower.class);

  private final String bootstrapServers;
  private final String topic;
  private final CountDownLatch assigned = new CountDownLatch(1);
  private KafkaConsumer<String, String> consumer;
  private Thread thread;

  KafkaRowFollower(String bootstrapServers, String topic) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
  }

  @Override
  public void start(EventHub hub) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "anomaly-dashboard-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    consumer = new KafkaConsumer<>(config);
    consumer.subscribe(List.of(topic));
    thread = new Thread(() -> follow(hub), "dashboard-kafka-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  private void follow(EventHub hub) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() == null) {
            hub.skipMalformed("a record without value at offset " + record.offset());
          } else {
            hub.publishLine(record.value());
          }
        }
        if (assigned.getCount() > 0 && !consumer.assignment().isEmpty()) {
          // resolves "latest" now, so records published from here on are all seen
          consumer.assignment().forEach(consumer::position);
          assigned.countDown();
        }
      }
    } catch (WakeupException e) {
      // close() asked this thread to stop
    } catch (RuntimeException e) {
      LOG.error("following Kafka topic {} stopped", topic, e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /**
   * Waits until the consumer has its partitions and knows their latest offsets: records produced
   * after this returns true are all seen.
   */
  boolean awaitAssignment(Duration timeout) throws InterruptedException {
    return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public String toString() {
    return "Kafka topic " + topic + " at " + bootstrapServers;
  }

  @Override
  public void close() {
    if (thread != null) {
      consumer.wakeup();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
