package dev.anomalystream.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class DashboardTest {

  private static DashboardOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(DashboardOptions.class);
  }

  @Test
  void exactlyOneSourceIsFollowed() {
    assertInstanceOf(RowDirectoryFollower.class, Dashboard.source(options("--rows=out/rows")));
    assertInstanceOf(
        KafkaRowFollower.class,
        Dashboard.source(
            options("--source=kafka", "--bootstrapServers=h:9092", "--detectionsTopic=d")));
    String none =
        assertThrows(IllegalArgumentException.class, () -> Dashboard.source(options()))
            .getMessage();
    assertTrue(none.contains("--rows=DIR"), none);
    assertThrows(
        IllegalArgumentException.class,
        () -> Dashboard.source(options("--rows=x", "--source=kafka")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Dashboard.source(options("--source=kafka", "--detectionsTopic=d")));
    assertThrows(
        IllegalArgumentException.class, () -> Dashboard.source(options("--source=pubsub")));
  }

  @Test
  void theStreamViewIsFollowedBesideTheRowsOrWhereTold() {
    assertEquals(
        Path.of("out/detect").toAbsolutePath(),
        Dashboard.streamView(options("--rows=out/detect/rows")));
    assertEquals(2, Dashboard.sources(options("--rows=out/detect/rows")).size());
    DashboardOptions kafka =
        options(
            "--source=kafka",
            "--bootstrapServers=h:9092",
            "--detectionsTopic=d",
            "--streamView=out/evaluate");
    assertEquals(Path.of("out/evaluate"), Dashboard.streamView(kafka));
    List<RowSource> sources = Dashboard.sources(kafka);
    assertInstanceOf(KafkaRowFollower.class, sources.get(0));
    assertTrue(sources.get(1).toString().contains("out/evaluate/windows"), sources.toString());
    assertEquals(
        1,
        Dashboard.sources(
                options("--source=kafka", "--bootstrapServers=h:9092", "--detectionsTopic=d"))
            .size());
  }

  @Test
  void defaultsKeepThePageOnThisMachine() {
    DashboardOptions options = options();
    assertTrue(options.getPort() == 8080 && "127.0.0.1".equals(options.getBind()));
  }
}
