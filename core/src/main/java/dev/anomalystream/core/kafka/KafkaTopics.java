package dev.anomalystream.core.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check that a Kafka topic exists before a pipeline writes to or reads from it: KafkaIO fails
 * on a missing topic with "Could not find any partitions info", which does not name the topic. It
 * is also the launch's check that the broker answers, within a bounded time.
 */
public final class KafkaTopics {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private KafkaTopics() {}

  /**
   * Creates the topic when it is missing, with the broker's default partition count and replication
   * factor, and says so; a broker that cannot be reached is an error naming it.
   *
   * @return true when the topic was created
   */
  public static boolean ensureExists(String bootstrapServers, String topic) {
    return ensureExists(bootstrapServers, topic, TIMEOUT);
  }

  /** As {@link #ensureExists(String, String)}, giving up after {@code timeout}. */
  public static boolean ensureExists(String bootstrapServers, String topic, Duration timeout) {
    long millis = timeout.toMillis();
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) millis,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) millis))) {
      if (admin.listTopics().names().get(millis, TimeUnit.MILLISECONDS).contains(topic)) {
        return false;
      }
      try {
        admin
            .createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
            .all()
            .get(millis, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e; // another writer may have created it meanwhile: that is fine
        }
        return false;
      }
      LOG.info(
          "Kafka topic {} did not exist on {}: created it (broker default partitions and"
              + " replication factor)",
          topic,
          bootstrapServers);
      return true;
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw new IllegalStateException(
          "could not find or create Kafka topic "
              + topic
              + " on "
              + bootstrapServers
              + ": "
              + (e.getCause() != null ? e.getCause() : e),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking Kafka topic " + topic, e);
    }
  }
}
