package dev.anomalystream.detect;

import com.google.auto.value.AutoValue;
import dev.anomalystream.core.alert.AlertDigest;
import dev.anomalystream.core.alert.Backoff;
import dev.anomalystream.core.alert.DigestMailer;
import dev.anomalystream.core.alert.EmailRateLimit;
import dev.anomalystream.core.alert.MailSettings;
import dev.anomalystream.core.alert.SecretReader;
import dev.anomalystream.core.alert.StreamAlert;
import dev.anomalystream.core.beam.ProcessingTimeFlush;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.failure.Failure;
import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Emails anomalies: one digest per alert window (processing time from the window's first anomaly,
 * see {@link ProcessingTimeFlush}), at most {@link Settings#maxEmailsPerHour()} emails per clock
 * hour. The hourly count lives in Beam state under one key, so the cap holds across bundles and
 * workers. A digest that cannot be delivered after its retries becomes a failure (stage {@value
 * #STAGE}) for the error table; the pipeline goes on.
 */
public final class AlertOnAnomalies
    extends PTransform<PCollection<Detection>, PCollection<Failure>> {
  public static final String STAGE = "alert";

  private static final TupleTag<Detection> ANOMALIES = new TupleTag<>() {};
  private static final TupleTag<StreamAlert> STREAM_ALERTS = new TupleTag<>() {};

  private final Settings settings;
  private final Clock clock;
  private final PCollection<StreamAlert> streamAlerts;

  public AlertOnAnomalies(Settings settings) {
    this(settings, Clock.systemUTC());
  }

  /**
   * With the clock that says which hour an email counts against: tests fix it, so the hourly cap
   * cannot roll over in the middle of a test run.
   */
  AlertOnAnomalies(Settings settings, Clock clock) {
    this(settings, clock, null);
  }

  private AlertOnAnomalies(Settings settings, Clock clock, PCollection<StreamAlert> streamAlerts) {
    this.settings = settings;
    this.clock = clock;
    this.streamAlerts = streamAlerts;
  }

  /** Also alerts the stream view's drift windows and topics, in the same digests. */
  public AlertOnAnomalies withStreamAlerts(PCollection<StreamAlert> alerts) {
    return new AlertOnAnomalies(settings, clock, alerts);
  }

  /** When and how digests go out; built with {@link #builder()}, checked by its build(). */
  @AutoValue
  public abstract static class Settings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Processing time gathered into one digest, from the window's first anomaly. */
    public abstract Duration window();

    /** Most digests sent per clock hour; the ones beyond it are counted, not sent. */
    public abstract int maxEmailsPerHour();

    /** Most anomalies listed in one digest; the count in its subject stays exact. */
    public abstract int maxAnomaliesPerDigest();

    public abstract MailSettings mail();

    /** Attempts and waits for a digest the mail server refuses. */
    public abstract Backoff retries();

    /** Where a password in a secret ({@link MailSettings#passwordSecret()}) is read from. */
    public abstract SecretReader.Factory secrets();

    /** Secrets come from Secret Manager unless {@link Builder#setSecrets} says otherwise. */
    public static Builder builder() {
      return new AutoValue_AlertOnAnomalies_Settings.Builder().setSecrets(SecretManagerReader::new);
    }

    /** Builds {@link Settings}; every field is required. */
    @AutoValue.Builder
    public abstract static class Builder {
      public abstract Builder setWindow(Duration window);

      public abstract Builder setMaxEmailsPerHour(int maxEmailsPerHour);

      public abstract Builder setMaxAnomaliesPerDigest(int maxAnomaliesPerDigest);

      public abstract Builder setMail(MailSettings mail);

      public abstract Builder setRetries(Backoff retries);

      public abstract Builder setSecrets(SecretReader.Factory secrets);

      abstract Settings autoBuild();

      public Settings build() {
        Settings settings = autoBuild();
        if (!settings.window().isLongerThan(Duration.ZERO)) {
          throw new IllegalArgumentException(
              "the alert window must be positive, was " + settings.window());
        }
        atLeastOne("maxEmailsPerHour", settings.maxEmailsPerHour());
        atLeastOne("maxAnomaliesPerDigest", settings.maxAnomaliesPerDigest());
        return settings;
      }

      private static void atLeastOne(String name, int value) {
        if (value < 1) {
          throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
      }
    }
  }

  @Override
  public PCollection<Failure> expand(PCollection<Detection> detections) {
    PCollection<KV<String, Detection>> anomalies =
        detections
            .apply("OnlyAnomalies", Filter.by(Detection::isAnomaly))
            .apply("AlertWindow", ProcessingTimeFlush.<Detection>every(settings.window()))
            .apply("KeyAnomalies", oneKey());
    PCollection<StreamAlert> alerts =
        streamAlerts != null
            ? streamAlerts
            : detections
                .getPipeline()
                .apply("NoStreamAlerts", Create.empty(SerializableCoder.of(StreamAlert.class)));
    PCollection<KV<String, StreamAlert>> keyedAlerts =
        alerts
            .apply("StreamAlertWindow", ProcessingTimeFlush.<StreamAlert>every(settings.window()))
            .apply("KeyStreamAlerts", oneKey());
    return KeyedPCollectionTuple.of(ANOMALIES, anomalies)
        .and(STREAM_ALERTS, keyedAlerts)
        .apply("GatherWindow", CoGroupByKey.create())
        .apply("SendCappedDigest", ParDo.of(new SendDigestFn(settings, clock)))
        // back to the default trigger, so these failures flatten with every other stage's
        .apply(
            "UntriggeredFailures",
            Window.<Failure>into(new GlobalWindows())
                .triggering(DefaultTrigger.of())
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes());
  }

  /** One key for every alert: the digest and its hourly cap are one per detector. */
  private static <T> WithKeys<String, T> oneKey() {
    return WithKeys.<String, T>of("alerts").withKeyType(TypeDescriptors.strings());
  }

  private static final class SendDigestFn extends DoFn<KV<String, CoGbkResult>, Failure> {
    private final Counter sent = Metrics.counter(AlertOnAnomalies.class, "alerts_sent");
    private final Counter failed = Metrics.counter(AlertOnAnomalies.class, "alerts_failed");
    private final Counter capped =
        Metrics.counter(AlertOnAnomalies.class, "alerts_suppressed_by_cap");
    private final Counter alerted = Metrics.counter(AlertOnAnomalies.class, "anomalies_alerted");

    @StateId("rateLimit")
    private final StateSpec<ValueState<EmailRateLimit>> rateLimitSpec =
        StateSpecs.value(SerializableCoder.of(EmailRateLimit.class));

    private final Settings settings;
    private final Clock clock;
    private transient DigestMailer mailer;

    SendDigestFn(Settings settings, Clock clock) {
      this.settings = settings;
      this.clock = clock;
    }

    @Setup
    public void setUp() {
      mailer = new DigestMailer(settings.mail(), settings.retries(), settings.secrets());
    }

    @ProcessElement
    public void process(
        @Element KV<String, CoGbkResult> pane,
        @StateId("rateLimit") ValueState<EmailRateLimit> rateLimitState,
        OutputReceiver<Failure> failures)
        throws InterruptedException {
      List<Detection> anomalies = new ArrayList<>();
      pane.getValue().getAll(ANOMALIES).forEach(anomalies::add);
      List<StreamAlert> alerts = new ArrayList<>();
      pane.getValue().getAll(STREAM_ALERTS).forEach(alerts::add);
      Instant now = clock.instant();
      EmailRateLimit rateLimit =
          rateLimitState.read() == null ? EmailRateLimit.FRESH : rateLimitState.read();
      if (!rateLimit.allows(now, settings.maxEmailsPerHour())) {
        capped.inc();
        return;
      }
      Instant first =
          anomalies.stream()
              .map(Detection::getProcessedTime)
              .min(Comparator.naturalOrder())
              .orElse(now);
      Instant last =
          anomalies.stream()
              .map(Detection::getProcessedTime)
              .max(Comparator.naturalOrder())
              .orElse(now);
      AlertDigest digest =
          AlertDigest.compose(anomalies, alerts, first, last, settings.maxAnomaliesPerDigest());
      try {
        mailer.deliver(digest);
        rateLimitState.write(rateLimit.afterSending(now));
        sent.inc();
        alerted.inc(anomalies.size());
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        failed.inc();
        failures.output(
            Failure.builder()
                .setStage(STAGE)
                .setReason("alert email not delivered: " + e.getMessage())
                .setPayload(digest.body().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .setAttributes(Map.of("subject", digest.subject()))
                .setTime(now)
                .setException(e)
                .build());
      }
    }
  }
}
