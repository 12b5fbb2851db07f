package dev.anomalystream.core.beam;

import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Duration;

/**
 * Newline-delimited JSON lines of a stream, written while it runs: one file per pane of {@code
 * flushInterval} processing time ({@link ProcessingTimeFlush}), named {@code <prefix>-<run
 * id>-<window>-pane-...json}. The {@link RunId} keeps a restarted job from overwriting the files of
 * the run before it. Shared by the detector's rows and every stream's dead letters.
 */
public final class StreamingJsonFiles extends PTransform<PCollection<String>, PDone> {
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
        .apply("FlushPanes", ProcessingTimeFlush.<String>every(flushInterval))
        .apply(
            "WriteJsonFiles",
            TextIO.write()
                .to(prefix + "-" + RunId.create() + "-")
                .withSuffix(".json")
                .withWindowedWrites()
                .withNumShards(1));
    return PDone.in(lines.getPipeline());
  }
}
