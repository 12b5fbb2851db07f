package dev.anomalystream.core.failure;

import dev.anomalystream.core.beam.RunId;
import dev.anomalystream.core.beam.StreamingJsonFiles;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Writes dead letters as newline-delimited JSON ({@link FailureJson}), loadable into the BigQuery
 * error table as they are. A bounded input becomes one file {@code <prefix>.json}; an unbounded one
 * is written in panes of {@code flushInterval} processing time, so files appear while a stream
 * runs, named per run ({@link RunId}) so a restart never overwrites them.
 */
public final class WriteFailuresAsJson extends PTransform<PCollection<Failure>, PDone> {
  private static final Duration DEFAULT_FLUSH_INTERVAL = Duration.standardSeconds(10);

  private final String outputPrefix;
  private final Duration flushInterval;

  private WriteFailuresAsJson(String outputPrefix, Duration flushInterval) {
    this.outputPrefix = outputPrefix;
    this.flushInterval = flushInterval;
  }

  public static WriteFailuresAsJson to(String outputPrefix) {
    return new WriteFailuresAsJson(outputPrefix, DEFAULT_FLUSH_INTERVAL);
  }

  /** Unbounded input: how often a file is closed. */
  public WriteFailuresAsJson withFlushInterval(Duration interval) {
    return new WriteFailuresAsJson(outputPrefix, interval);
  }

  @Override
  public PDone expand(PCollection<Failure> failures) {
    PCollection<String> lines =
        failures.apply(
            "FailureToJson",
            MapElements.into(TypeDescriptors.strings()).via(FailureJson::toJsonLine));
    if (failures.isBounded() == PCollection.IsBounded.BOUNDED) {
      return lines.apply(
          "WriteJsonFile", TextIO.write().to(outputPrefix).withSuffix(".json").withoutSharding());
    }
    return lines.apply("WriteJsonFiles", StreamingJsonFiles.to(outputPrefix, flushInterval));
  }
}
