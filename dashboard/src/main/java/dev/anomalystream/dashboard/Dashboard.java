package dev.anomalystream.dashboard;

import com.google.api.services.bigquery.model.TableReference;
import dev.anomalystream.core.options.MessageBus;
import dev.anomalystream.core.pubsub.PubsubPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryHelpers;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code scripts/dashboard}: a live page of what the detector decides. Follows one source (the
 * NDJSON rows directory, the BigQuery table, or the detections topic on Kafka or Pub/Sub), and the
 * stream view's windows and topics when there are any, and serves the page until the process is
 * stopped (Ctrl-C).
 */
public final class Dashboard {
  /** The longest pause between two polls of BigQuery after failures in a row. */
  static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  private Dashboard() {}

  public static void main(String[] args) throws Exception {
    PipelineOptionsFactory.register(DashboardOptions.class);
    DashboardOptions options = PipelineOptionsFactory.fromArgs(args).as(DashboardOptions.class);
    try {
      run(options);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }

  /** Serves until the JVM is asked to stop. */
  public static void run(DashboardOptions options) throws IOException, InterruptedException {
    List<RowSource> sources = sources(options);
    EventHub hub =
        EventHub.startingNow(
            options.getRecentRows(),
            options.getClientQueueSize(),
            options.getModel() == null
                ? null
                : new CalibratedRates(Path.of(options.getModel()), options.getModelName()));
    DashboardServer server = DashboardServer.start(options.getBind(), options.getPort(), hub);
    for (RowSource source : sources) {
      source.start(hub);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sources.forEach(RowSource::close);
                  server.close();
                  stopped.countDown();
                },
                "dashboard-shutdown"));
    System.out.println(
        "dashboard on http://"
            + options.getBind()
            + ":"
            + server.port()
            + "/ following "
            + sources.stream().map(Object::toString).collect(Collectors.joining(" and ")));
    stopped.await();
  }

  /** The source of detections, then the stream view's follower when there is one. */
  static List<RowSource> sources(DashboardOptions options) {
    RowSource detections = source(options);
    Path streamView = streamView(options);
    return streamView == null
        ? List.of(detections)
        : List.of(detections, RowDirectoryFollower.streamView(streamView));
  }

  /**
   * The stream view's output directory: {@code --streamView}, else the parent of {@code --rows}
   * (the detector writes {@code windows/} and {@code topics/} beside {@code rows/}), else none.
   */
  static Path streamView(DashboardOptions options) {
    if (options.getStreamView() != null) {
      return Path.of(options.getStreamView());
    }
    if (options.getRows() != null) {
      return Path.of(options.getRows()).toAbsolutePath().normalize().getParent();
    }
    return null;
  }

  /** The one source of detections the options name: exactly one of --rows, --table and --source. */
  static RowSource source(DashboardOptions options) {
    long named =
        Stream.of(options.getRows(), options.getTable(), options.getSource())
            .filter(Objects::nonNull)
            .count();
    if (named > 1) {
      throw new IllegalArgumentException(
          "give one source: --rows=DIR, --table=PROJECT:DATASET.TABLE or --source=kafka|pubsub");
    }
    if (options.getTable() != null) {
      return bigQuery(options);
    }
    if (options.getRows() != null) {
      return new RowDirectoryFollower(Path.of(options.getRows()));
    }
    if (options.getSource() == MessageBus.KAFKA) {
      if (options.getBootstrapServers() == null || options.getDetectionsTopic() == null) {
        throw new IllegalArgumentException(
            "--source=kafka needs --bootstrapServers=host:port and --detectionsTopic=TOPIC");
      }
      return new KafkaRowFollower(options.getBootstrapServers(), options.getDetectionsTopic());
    }
    if (options.getSource() == MessageBus.PUBSUB) {
      if (options.getSubscription() == null) {
        throw new IllegalArgumentException(
            "--source=pubsub needs --subscription: the dashboard's own subscription on the"
                + " detections topic");
      }
      return new PubsubRowFollower(
          options.getPubsubRootUrl(),
          PubsubPaths.subscription(options.getSubscription(), options.getProject()),
          options.getGcpCredential());
    }
    throw new IllegalArgumentException(
        "no source: give --rows=DIR (the detector's rows directory), --table=PROJECT:DATASET.TABLE"
            + " (its BigQuery table), --source=kafka"
            + " --bootstrapServers=host:port --detectionsTopic=TOPIC or --source=pubsub"
            + " --subscription=NAME");
  }

  /** The detector's BigQuery table and its stream view's tables beside it, polled. */
  static BigQueryFollower bigQuery(DashboardOptions options) {
    TableReference table = BigQueryHelpers.parseTableSpec(options.getTable());
    if (table.getProjectId() == null) {
      if (options.getProject() == null) {
        throw new IllegalArgumentException(
            "--table="
                + options.getTable()
                + " names no project: give PROJECT:DATASET.TABLE"
                + " or --project");
      }
      table.setProjectId(options.getProject());
    }
    if (options.getPollSeconds() < 1 || options.getPollOverlapSeconds() < 0) {
      throw new IllegalArgumentException(
          "--pollSeconds must be at least 1 and --pollOverlapSeconds at least 0");
    }
    Duration poll = Duration.ofSeconds(options.getPollSeconds());
    return new BigQueryFollower(
        BigQueryQueries.connect(
            options.getBigQueryRootUrl(),
            options.getBigQueryRootUrl() == null ? options.getGcpCredential() : null,
            options.getProject() != null ? options.getProject() : table.getProjectId()),
        List.of(
            PolledTable.detections(table, Duration.ofSeconds(options.getPollOverlapSeconds())),
            PolledTable.windows(table),
            PolledTable.topics(table)),
        poll,
        MAX_BACKOFF,
        options.getRecentRows(),
        Clock.systemUTC());
  }
}
