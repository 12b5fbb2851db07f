package dev.anomalystream.detect;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.beam.LatestCheckpoint;
import dev.anomalystream.core.detection.DetectionRowFiles;
import dev.anomalystream.core.testing.PubsubEmulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's crash: the detector on Flink, as its own process, is killed with SIGKILL while
 * messages stream in, and started again with the same command. Every message gets its row, no file
 * the first process wrote is changed, and what it learned online is still known after the restart:
 * the first message's text, sent again, scores nearer than it did. It learns with {@code
 * --learn=all}, so the warm-up is learned whatever its score.
 */
@Tag("slow-runner")
class DetectRestartOnFlinkTest {
  private static final Logger LOG = LoggerFactory.getLogger(DetectRestartOnFlinkTest.class);
  private static final int MESSAGES = 400;
  private static final int RATE_PER_SECOND = 20;
  private static final String WARMUP_TEXT = "i feel fine today";

  @RegisterExtension static final PubsubEmulator PUBSUB = new PubsubEmulator();
  @TempDir static Path models;
  @TempDir Path work;

  @BeforeAll
  static void trainModel() throws Exception {
    EndToEndModel.publish(models, Instant.parse("2026-11-23T08:00:00Z"));
  }

  @Test
  void aDetectorKilledMidStreamAndStartedAgainLosesNothing() throws Exception {
    PUBSUB.createTopic("restart-tweets");
    PUBSUB.createSubscription("restart-detector", "restart-tweets");
    Path output = work.resolve("out");
    Path rows = output.resolve("rows");
    List<String> command = detectorCommand(output);
    Process first = start(command, work.resolve("first.log"));
    Process second = null;
    Thread publisher = null;
    try {
      publish("warmup-0", WARMUP_TEXT);
      await("the first detector's first row")
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> alive(first) && uids(rows).contains("warmup-0"));

      Map<String, String> messages =
          EndToEndModel.byUid("m-", EndToEndModel.unseenTweets(MESSAGES));
      AtomicInteger published = new AtomicInteger();
      publisher = new Thread(() -> publishPaced(messages, published), "publisher");
      publisher.start();
      await("rows and a completed checkpoint")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  uids(rows).size() >= 40
                      && LatestCheckpoint.in(output.resolve("checkpoints")).isPresent());
      Map<Path, String> filesBeforeKill = files(rows);
      int rowsAtKill = uids(rows).size();
      int publishedAtKill = published.get();
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no last checkpoint
      first.waitFor();
      LOG.info("killed at {} rows, {} of {} published", rowsAtKill, publishedAtKill, MESSAGES);
      assertTrue(publishedAtKill < MESSAGES, "the kill must come while messages stream in");

      second = start(command, work.resolve("second.log"));
      publisher.join();
      Process restarted = second;
      await("a row for every message after the restart")
          .atMost(Duration.ofSeconds(300))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> alive(restarted) && uids(rows).containsAll(messages.keySet()));

      Map<Path, String> filesAfter = files(rows);
      filesBeforeKill.forEach(
          (file, content) ->
              assertEquals(content, filesAfter.get(file), file + " changed by the restart"));
      Map<String, Long> rowsPerUid =
          DetectionRowFiles.read(rows).stream()
              .collect(Collectors.groupingBy(r -> (String) r.get("uid"), Collectors.counting()));
      long duplicates = rowsPerUid.values().stream().mapToLong(n -> n - 1).sum();
      LOG.info("rows written twice across the restart: {}", duplicates);
      assertTrue(
          Files.readString(work.resolve("second.log")).contains("resuming from checkpoint"),
          "the second process resumed from the first one's checkpoint");

      // the warm-up was learned by the first process and acknowledged (one row: not redelivered),
      // so only the checkpointed memory can make its text score nearer now
      publish("probe-warmup", WARMUP_TEXT);
      await("the probe's row")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> alive(restarted) && uids(rows).contains("probe-warmup"));
      Map<String, Map<String, Object>> rowByUid =
          DetectionRowFiles.read(rows).stream()
              .collect(Collectors.toMap(r -> (String) r.get("uid"), r -> r, (a, b) -> a));
      Map<String, Object> warmup = rowByUid.get("warmup-0");
      Map<String, Object> probe = rowByUid.get("probe-warmup");
      assertEquals(1L, rowsPerUid.get("warmup-0"), "the warm-up was not delivered again");
      assertEquals(Boolean.TRUE, warmup.get("learned"), warmup.toString());
      double before = ((Number) warmup.get("knn_score")).doubleValue();
      double after = ((Number) probe.get("knn_score")).doubleValue();
      LOG.info("warm-up text kNN score {} before the restart, {} after it", before, after);
      assertTrue(
          after < before - 1e-3, "the memory survived the restart: " + after + " < " + before);
    } finally {
      if (publisher != null) {
        publisher.interrupt();
      }
      first.destroyForcibly().waitFor();
      if (second != null) {
        second.destroyForcibly().waitFor();
      }
    }
  }

  /** The launcher's command: the detector's main on this test's classpath, a JVM of its own. */
  private List<String> detectorCommand(Path output) throws IOException {
    Path argFile =
        Files.writeString(
            work.resolve("classpath.args"),
            "-cp \"" + System.getProperty("java.class.path") + "\"");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "@" + argFile,
                DetectPipeline.class.getName()));
    command.addAll(PUBSUB.beamArgs());
    command.addAll(
        List.of(
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--parallelism=1",
            "--checkpointingInterval=2000",
            "--subscription=restart-detector",
            "--model=" + models,
            "--modelName=" + EndToEndModel.NAME,
            "--modelRefreshSeconds=0",
            "--learn=all",
            "--outputDirectory=" + output,
            "--outboxDirectory=" + output.resolve("outbox"),
            "--fileFlushSeconds=1",
            "--maxBatchWaitMillis=200"));
    return command;
  }

  private static Process start(List<String> command, Path log) throws IOException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static boolean alive(Process process) {
    if (!process.isAlive()) {
      throw new IllegalStateException("the detector exited with " + process.exitValue());
    }
    return true;
  }

  private static void publishPaced(Map<String, String> messages, AtomicInteger published) {
    try {
      for (Map.Entry<String, String> message : messages.entrySet()) {
        publish(message.getKey(), message.getValue());
        published.incrementAndGet();
        Thread.sleep(1000 / RATE_PER_SECOND);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void publish(String uid, String text) {
    PUBSUB.publish("restart-tweets", text.getBytes(StandardCharsets.UTF_8), Map.of("uid", uid));
  }

  private static Set<String> uids(Path rows) throws IOException {
    return DetectOnFlinkTest.uids(DetectionRowFiles.read(rows));
  }

  private static Map<Path, String> files(Path directory) throws IOException {
    Map<Path, String> contents = new TreeMap<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        contents.put(file, Files.readString(file));
      }
    }
    return contents;
  }
}
