package dev.anomalystream.detect;

import dev.anomalystream.core.alert.AlertDigest;
import dev.anomalystream.core.alert.Backoff;
import dev.anomalystream.core.alert.DigestMailer;
import dev.anomalystream.core.alert.EmailRateLimit;
import dev.anomalystream.core.alert.MailSettings;
import dev.anomalystream.core.beam.ProcessingTimeFlush;
import dev.anomalystream.core.beam.ToListFn;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.failure.Failure;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Emails anomalies: one digest per alert window (processing time from the window's first anomaly,
 * see {@link ProcessingTimeFlush}), at most {@code maxPerHour} emails per clock hour. The hourly
 * count lives in Beam state under one key, so the cap holds across bundles and workers. A digest
 * that cannot be delivered after its retries becomes a failure (stage {@value #STAGE}) for the
 * error table; the pipeline goes on.
 */
public final class AlertOnAnomalies
    extends PTransform<PCollection<Detection>, PCollection<Failure>> {
  public static final String STAGE = "alert";

  private final Duration window;
  private final int maxPerHour;
  private final int maxListed;
  private final MailSettings mail;
  private final Backoff retries;

  public AlertOnAnomalies(
      Duration window, int maxPerHour, int maxListed, MailSettings mail, Backoff retries) {
    this.window = window;
    this.maxPerHour = maxPerHour;
    this.maxListed = maxListed;
    this.mail = mail;
    this.retries = retries;
  }

  @Override
  public PCollection<Failure> expand(PCollection<Detection> detections) {
    return detections
        .apply("OnlyAnomalies", Filter.by(Detection::isAnomaly))
        .apply("AlertWindow", ProcessingTimeFlush.<Detection>every(window))
        .apply("GatherWindow", Combine.globally(ToListFn.<Detection>create()).withoutDefaults())
        .apply(
            "OneAlertKey",
            WithKeys.<String, List<Detection>>of("alerts").withKeyType(TypeDescriptors.strings()))
        .apply("SendCappedDigest", ParDo.of(new SendDigestFn(maxPerHour, maxListed, mail, retries)))
        // back to the default trigger, so these failures flatten with every other stage's
        .apply(
            "UntriggeredFailures",
            Window.<Failure>into(new GlobalWindows())
                .triggering(DefaultTrigger.of())
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes());
  }

  private static final class SendDigestFn extends DoFn<KV<String, List<Detection>>, Failure> {
    private final Counter sent = Metrics.counter(AlertOnAnomalies.class, "alerts_sent");
    private final Counter failed = Metrics.counter(AlertOnAnomalies.class, "alerts_failed");
    private final Counter capped =
        Metrics.counter(AlertOnAnomalies.class, "alerts_suppressed_by_cap");
    private final Counter alerted = Metrics.counter(AlertOnAnomalies.class, "anomalies_alerted");

    @StateId("rateLimit")
    private final StateSpec<ValueState<EmailRateLimit>> rateLimitSpec =
        StateSpecs.value(SerializableCoder.of(EmailRateLimit.class));

    private final int maxPerHour;
    private final int maxListed;
    private final MailSettings mail;
    private final Backoff retries;
    private transient DigestMailer mailer;

    SendDigestFn(int maxPerHour, int maxListed, MailSettings mail, Backoff retries) {
      this.maxPerHour = maxPerHour;
      this.maxListed = maxListed;
      this.mail = mail;
      this.retries = retries;
    }

    @Setup
    public void setUp() {
      mailer = new DigestMailer(mail, retries);
    }

    @ProcessElement
    public void process(
        @Element KV<String, List<Detection>> pane,
        @StateId("rateLimit") ValueState<EmailRateLimit> rateLimitState,
        OutputReceiver<Failure> failures)
        throws InterruptedException {
      List<Detection> anomalies = pane.getValue();
      Instant now = Instant.now();
      EmailRateLimit rateLimit =
          rateLimitState.read() == null ? EmailRateLimit.FRESH : rateLimitState.read();
      if (!rateLimit.allows(now, maxPerHour)) {
        capped.inc();
        return;
      }
      Instant first =
          anomalies.stream()
              .map(Detection::processedTime)
              .min(Comparator.naturalOrder())
              .orElse(now);
      Instant last =
          anomalies.stream()
              .map(Detection::processedTime)
              .max(Comparator.naturalOrder())
              .orElse(now);
      AlertDigest digest = AlertDigest.compose(anomalies, first, last, maxListed);
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
