package dev.anomalystream.core.beam;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.util.ShardedKey;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Newline-delimited JSON lines of a stream, written while it runs: lines are gathered for at most
 * {@code flushInterval} of processing time (or {@value #MAX_LINES_PER_FILE} lines), and each batch
 * becomes one file {@code <prefix>-<run id>-<write time>-<random>.json}, written under a temporary
 * name ({@code .json.inprogress}) and then renamed, so a reader of {@code *.json} never sees half a
 * file. The {@link RunId} keeps a restarted job from overwriting the files of the run before it.
 * Shared by the detector's rows and every stream's dead letters.
 *
 * <p>Why not TextIO's windowed writes (what this was): on Flink their finalization, a temporary
 * file per pane followed by two reshuffles and a rename held back until a checkpoint completes, now
 * and then left a pane's file unrenamed for minutes while checkpoints kept completing (in one
 * detector run of three, and for the first pane at parallelism 1 too). Here one DoFn writes and
 * renames each batch's file, on every runner alike. At least once, like the sources: a batch
 * replayed after a crash is written again under a new name, never over an earlier file.
 */
public final class StreamingJsonFiles extends PTransform<PCollection<String>, PDone> {
  static final int MAX_LINES_PER_FILE = 10_000;

  private final String prefix;
  private final Duration flushInterval;

  private StreamingJsonFiles(String prefix, Duration flushInterval) {
    this.prefix = prefix;
    this.flushInterval = flushInterval;
  }

  public static StreamingJsonFiles to(String prefix, Duration flushInterval) {
    return new StreamingJsonFiles(prefix, flushInterval);
  }

  @Override
  public PDone expand(PCollection<String> lines) {
    lines
        // one logical key, sharded by the runner over its workers
        .apply("OneKey", WithKeys.<Integer, String>of(0).withKeyType(TypeDescriptors.integers()))
        .apply(
            "Batch",
            GroupIntoBatches.<Integer, String>ofSize(MAX_LINES_PER_FILE)
                .withMaxBufferingDuration(flushInterval)
                .withShardedKey())
        .apply("WriteFiles", ParDo.of(new WriteBatchFn(prefix + "-" + RunId.create() + "-")));
    return PDone.in(lines.getPipeline());
  }

  /** {@code 20261130T064512.345Z-0a1b2c3d}: sorts by write time within a run, never repeats. */
  static String fileName(Instant writtenAt, int random) {
    return WRITE_TIME.format(writtenAt) + String.format(Locale.ROOT, "-%08x", random);
  }

  private static final DateTimeFormatter WRITE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final class WriteBatchFn
      extends DoFn<KV<ShardedKey<Integer>, Iterable<String>>, Void> {
    private final Counter files = Metrics.counter(StreamingJsonFiles.class, "files_written");
    private final String filePrefix;

    WriteBatchFn(String filePrefix) {
      this.filePrefix = filePrefix;
    }

    @ProcessElement
    public void process(@Element KV<ShardedKey<Integer>, Iterable<String>> batch)
        throws IOException {
      String name =
          filePrefix + fileName(Instant.now(), ThreadLocalRandom.current().nextInt()) + ".json";
      ResourceId target = FileSystems.matchNewResource(name, false);
      ResourceId inProgress = FileSystems.matchNewResource(name + ".inprogress", false);
      try (Writer writer =
          new OutputStreamWriter(
              Channels.newOutputStream(FileSystems.create(inProgress, MimeTypes.TEXT)),
              StandardCharsets.UTF_8)) {
        for (String line : batch.getValue()) {
          writer.write(line);
          writer.write('\n');
        }
      }
      FileSystems.rename(List.of(inProgress), List.of(target));
      files.inc();
    }
  }
}
