package dev.anomalystream.detect;

import static dev.anomalystream.core.options.OptionValues.blankToNull;

import dev.anomalystream.core.kafka.KafkaTopics;
import dev.anomalystream.core.options.MessageBus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the launch checks about the message bus before the job starts, so a mistake is one clear
 * error at once rather than a job that runs and reads nothing: the flags that depend on {@code
 * --source} (Beam's annotations cannot express "required when"), that the Kafka broker answers and
 * the topics exist, and that a Pub/Sub emulator accepts connections.
 */
final class LaunchChecks {
  static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
  static final Duration EMULATOR_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private LaunchChecks() {}

  /** All of them, with the default timeouts. */
  static void beforeLaunch(DetectOptions options) {
    validate(options);
    if (options.getSource() == MessageBus.KAFKA) {
      ensureKafkaTopics(options, KAFKA_TIMEOUT);
    } else {
      checkPubsubEmulator(options.getPubsubRootUrl(), EMULATOR_CONNECT_TIMEOUT);
    }
  }

  static void validate(DetectOptions options) {
    String subscription = blankToNull(options.getSubscription());
    String topic = blankToNull(options.getTopic());
    String inputTopic = blankToNull(options.getInputTopic());
    if (options.getSource() == MessageBus.KAFKA) {
      List<String> missing = new ArrayList<>();
      if (blankToNull(options.getBootstrapServers()) == null) {
        missing.add("--bootstrapServers=host:port");
      }
      if (inputTopic == null) {
        missing.add("--inputTopic=TOPIC");
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("--source=kafka needs " + String.join(" and ", missing));
      }
      if (subscription != null || topic != null) {
        throw new IllegalArgumentException(
            "--subscription and --topic are Pub/Sub's; with --source=kafka the topic read is"
                + " --inputTopic");
      }
      if (blankToNull(options.getConsumerGroup()) == null) {
        throw new IllegalArgumentException("--source=kafka needs a --consumerGroup");
      }
    } else {
      if (subscription == null && topic == null) {
        throw new IllegalArgumentException(
            "--source=pubsub needs --subscription (or --topic, for a subscription made per run)");
      }
      if (inputTopic != null) {
        throw new IllegalArgumentException(
            "--inputTopic is the Kafka topic read with --source=kafka; on Pub/Sub give"
                + " --subscription or --topic");
      }
    }
    if (blankToNull(options.getGroupAttribute()) != null
        && LearningOptions.learningRequested(options)) {
      // the online stage decides with the global model's kNN reference, its threshold and its
      // memory, which would overrule the group models' verdicts with the global model's
      throw new IllegalArgumentException(
          "--groupAttribute cannot be combined with online learning (--learn, --score=hst) yet:"
              + " online learning keeps one memory beside the global model, not one per group");
    }
    if (options.getDeduplicationMinutes() < 1) {
      throw new IllegalArgumentException(
          "--deduplicationMinutes must be at least 1, was " + options.getDeduplicationMinutes());
    }
  }

  /**
   * The input topic and the detections topic exist afterwards (a missing one is created and
   * logged); a broker that does not answer within {@code timeout} is an error naming it.
   */
  static void ensureKafkaTopics(DetectOptions options, Duration timeout) {
    KafkaTopics.ensureExists(options.getBootstrapServers(), options.getInputTopic(), timeout);
    String detectionsTopic = blankToNull(options.getDetectionsTopic());
    if (detectionsTopic != null) {
      KafkaTopics.ensureExists(options.getBootstrapServers(), detectionsTopic, timeout);
    }
  }

  /**
   * With {@code --pubsubRootUrl} on a host other than Google's (an emulator), a TCP connect to it.
   * Without it a stopped emulator goes unnoticed: with --subscription the job reports RUNNING and
   * logs nothing while its reads are retried, and with --topic the launch hangs creating its
   * subscription. Google's endpoint is not probed: it needs no check, and a connect proves nothing
   * about permissions.
   */
  static void checkPubsubEmulator(String rootUrl, Duration timeout) {
    URI uri = URI.create(rootUrl);
    String host = uri.getHost();
    if (host == null || host.equals("googleapis.com") || host.endsWith(".googleapis.com")) {
      return;
    }
    int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
    } catch (IOException e) {
      throw new IllegalStateException(
          "the Pub/Sub endpoint --pubsubRootUrl="
              + rootUrl
              + " ("
              + host
              + ":"
              + port
              + ") does not accept connections: "
              + e.getMessage()
              + ". Is the emulator running? (eval \"$(scripts/pubsub-emulator start)\")",
          e);
    }
  }
}
