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
  void aBigQueryTableIsPolledWithItsStreamViewTables() {
    RowSource table =
        Dashboard.source(
            options("--table=proj:ds.detections", "--bigQueryRootUrl=http://127.0.0.1:1"));
    assertInstanceOf(BigQueryFollower.class, table);
    assertEquals(
        "rows table proj:ds.detections, windows table proj:ds.detections_windows,"
            + " topics table proj:ds.detections_topics",
        table.toString());
    // the detector's spelling of a table without a project takes --project's
    assertTrue(
        Dashboard.source(
                options("--table=ds.t", "--project=other", "--bigQueryRootUrl=http://127.0.0.1:1"))
            .toString()
            .startsWith("rows table other:ds.t,"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Dashboard.source(options("--table=proj:ds.t", "--rows=x")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Dashboard.source(
                options("--table=proj:ds.t", "--pollSeconds=0", "--bigQueryRootUrl=http://h:1")));
    // the stream view comes from BigQuery too: no directory follower beside it
    assertEquals(
        1,
        Dashboard.sources(options("--table=proj:ds.t", "--bigQueryRootUrl=http://127.0.0.1:1"))
            .size());
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
