package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The launch's bus checks against closed ports: a clear error within a bounded time. */
class LaunchChecksTest {
  /** A port nothing listens on: one the system just handed out and that was closed again. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static DetectOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(DetectOptions.class);
  }

  @Test
  void anUnreachableBrokerIsAnErrorNamingItAndTheInputTopic() throws Exception {
    String servers = "127.0.0.1:" + closedPort();
    DetectOptions options =
        options("--source=kafka", "--bootstrapServers=" + servers, "--inputTopic=tweets-in");

    long start = System.nanoTime();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> LaunchChecks.ensureKafkaTopics(options, Duration.ofSeconds(2)));

    assertTrue(e.getMessage().contains(servers), e.getMessage());
    assertTrue(e.getMessage().contains("tweets-in"), e.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 15, "bounded");
  }

  @Test
  void aStoppedEmulatorIsAnErrorNamingItsHost() throws Exception {
    String rootUrl = "http://127.0.0.1:" + closedPort();

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> LaunchChecks.checkPubsubEmulator(rootUrl, Duration.ofSeconds(2)));

    assertTrue(e.getMessage().contains("--pubsubRootUrl=" + rootUrl), e.getMessage());
    assertTrue(e.getMessage().contains("Is the emulator running?"), e.getMessage());
  }

  @Test
  void theDetectorStopsAtLaunchWhenItsEmulatorIsDown() throws Exception {
    String rootUrl = "http://127.0.0.1:" + closedPort();
    DetectOptions options =
        options(
            "--subscription=detector",
            "--project=anomaly-test",
            "--pubsubRootUrl=" + rootUrl,
            // never read: the check comes first
            "--model=/nonexistent/models");

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> DetectPipeline.run(options));

    assertTrue(e.getMessage().contains(rootUrl), e.getMessage());
  }

  @Test
  void aListeningEmulatorAndGooglesEndpointPass() throws Exception {
    try (ServerSocket emulator = new ServerSocket(0)) {
      LaunchChecks.checkPubsubEmulator(
          "http://127.0.0.1:" + emulator.getLocalPort(), Duration.ofSeconds(2));
    }
    // not probed (the check is for emulators), so this passes without a network
    LaunchChecks.checkPubsubEmulator("https://pubsub.googleapis.com", Duration.ofSeconds(2));
  }
}
