package dev.anomalystream.core.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.testing.KafkaBroker;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The launch check of ingest's sink and the detector's topics, against a real broker. */
class KafkaTopicsTest {
  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @Test
  void anUnreachableBrokerIsAnErrorNamingTheTopicAndTheBroker() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> KafkaTopics.ensureExists("127.0.0.1:1", "corpus-nowhere", Duration.ofSeconds(2)));
    assertTrue(e.getMessage().contains("corpus-nowhere"), e.getMessage());
    assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
  }

  @Test
  void anExistingTopicIsLeftAsItIsAndAMissingOneIsCreated() throws Exception {
    KAFKA.createTopic("corpus-k4", 3);
    assertFalse(KafkaTopics.ensureExists(KAFKA.bootstrapServers(), "corpus-k4"));
    assertTrue(KafkaTopics.ensureExists(KAFKA.bootstrapServers(), "corpus-k5"));
    // the broker lists a new topic once its metadata has spread, a moment after the create
    await("both topics listed")
        .atMost(Duration.ofSeconds(30))
        .until(() -> KAFKA.topics().containsAll(Set.of("corpus-k4", "corpus-k5")));
  }
}
