package dev.anomalystream.detect;

import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Latest;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.PeriodicImpulse;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model version to serve, as a side input that follows the store's {@code LATEST} pointer:
 * Beam's slowly-changing side input pattern ({@link PeriodicImpulse} → read the pointer → a
 * global-window singleton re-triggered on every new value). The scoring step loads each new version
 * once per JVM. A pointer that cannot be read is logged and counted, and emits nothing, so the side
 * input keeps the version it had. A fixed version directory is a constant.
 */
public final class WatchModelVersion extends PTransform<PBegin, PCollectionView<String>> {
  private static final Logger LOG = LoggerFactory.getLogger(WatchModelVersion.class);

  private final ModelLocation location;
  private final Duration refreshInterval;

  public WatchModelVersion(ModelLocation location, Duration refreshInterval) {
    this.location = location;
    this.refreshInterval = refreshInterval;
  }

  @Override
  public PCollectionView<String> expand(PBegin begin) {
    if (!location.followsLatest() || refreshInterval.getMillis() <= 0) {
      String fixed;
      try {
        fixed = location.currentVersionKey();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      return begin
          .apply("FixedVersion", Create.of(fixed).withCoder(StringUtf8Coder.of()))
          .apply("AsSingleton", View.asSingleton());
    }
    PCollection<TimestampedValue<String>> readings =
        begin
            .apply("EveryInterval", PeriodicImpulse.create().withInterval(refreshInterval))
            .apply("ReadLatest", ParDo.of(new ReadLatestFn(location)))
            .setCoder(TimestampedValue.TimestampedValueCoder.of(StringUtf8Coder.of()));
    return newestReading(readings);
  }

  /**
   * The side input made of pointer readings: a global window re-triggered on every reading, the
   * newest one as a singleton. Apart from the impulse so that tests can drive it with a TestStream
   * (PeriodicImpulse runs on the wall clock).
   */
  static PCollectionView<String> newestReading(PCollection<TimestampedValue<String>> readings) {
    return readings
        .apply(
            "EachReadings",
            Window.<TimestampedValue<String>>into(new GlobalWindows())
                .triggering(Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane()))
                .discardingFiredPanes())
        // the newest reading wins even when two land in one pane, so a rollback of LATEST is
        // honoured
        .apply("NewestReading", Combine.globally(Latest.<String>combineFn()).asSingletonView());
  }

  private static final class ReadLatestFn extends DoFn<Instant, TimestampedValue<String>> {
    private final Counter unreadable =
        Metrics.counter(WatchModelVersion.class, "model_pointer_unreadable");
    private final ModelLocation location;

    ReadLatestFn(ModelLocation location) {
      this.location = location;
    }

    @ProcessElement
    public void process(@Element Instant tick, OutputReceiver<TimestampedValue<String>> out) {
      try {
        out.output(TimestampedValue.of(location.currentVersionKey(), tick));
      } catch (Exception e) {
        unreadable.inc();
        LOG.warn(
            "cannot read the model pointer of {}; serving the current version: {}",
            location,
            e.toString());
      }
    }
  }
}
