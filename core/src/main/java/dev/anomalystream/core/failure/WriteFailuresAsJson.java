package dev.anomalystream.core.failure;

import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Writes dead letters as newline-delimited JSON ({@link FailureJson}), loadable into the
 * BigQuery error table as they are. A bounded input becomes one file {@code <prefix>.json}; an
 * unbounded one is written per one-minute window, so files appear while a stream runs.
 */
public final class WriteFailuresAsJson extends PTransform<PCollection<Failure>, PDone> {
  private final String outputPrefix;

  private WriteFailuresAsJson(String outputPrefix) {
    this.outputPrefix = outputPrefix;
  }

  public static WriteFailuresAsJson to(String outputPrefix) {
    return new WriteFailuresAsJson(outputPrefix);
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
    return lines
        .apply(
            "WindowPerMinute",
            Window.<String>into(FixedWindows.of(Duration.standardMinutes(1))))
        .apply(
            "WriteJsonFiles",
            TextIO.write().to(outputPrefix).withSuffix(".json").withWindowedWrites().withNumShards(1));
  }
}
