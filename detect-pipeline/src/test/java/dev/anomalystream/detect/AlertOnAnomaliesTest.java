package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.alert.Backoff;
import dev.anomalystream.core.alert.MailSettings;
import dev.anomalystream.core.alert.StreamAlert;
import dev.anomalystream.core.beam.MetricCounts;
import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.model.DriftDecision;
import dev.anomalystream.core.stream.TopicEvent;
import dev.anomalystream.core.stream.WindowSummary;
import dev.anomalystream.core.testing.SampleDetections;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * AlertOnAnomalies with processing time driven by a TestStream: one digest per alert window that
 * saw anomalies (normal rows never mailed), the hourly cap holding across windows in state, and an
 * undeliverable digest becoming a dead letter. Digests go to an outbox directory, read back here.
 */
@ExtendWith(TestPipelineExtension.class)
class AlertOnAnomaliesTest {
  private static final Duration WINDOW = Duration.standardSeconds(60);
  private static final Duration PAST_WINDOW = WINDOW.plus(Duration.standardSeconds(1));
  // every email of a test counts against one clock hour, however long the test takes
  private static final Clock MID_HOUR =
      Clock.fixed(SampleDetections.TIME.plusSeconds(1800), ZoneOffset.UTC);

  // how a digest lists an anomaly: "1. uid a-1  score 0.9000 ..."
  private static final Pattern LISTED_UID = Pattern.compile("\\buid (\\S+) ");

  @TempDir Path outbox;

  private MailSettings toOutbox() {
    return MailSettings.builder()
        .setSmtpPort(25)
        .setTls(MailSettings.Tls.NONE)
        .setFrom("a@example.com")
        .setTo(List.of())
        .setOutboxDirectory(outbox.toString())
        .build();
  }

  private static AlertOnAnomalies alerts(int maxPerHour, MailSettings mail) {
    return new AlertOnAnomalies(
        AlertOnAnomalies.Settings.builder()
            .setWindow(WINDOW)
            .setMaxEmailsPerHour(maxPerHour)
            .setMaxAnomaliesPerDigest(50)
            .setMail(mail)
            .setRetries(new Backoff(1, java.time.Duration.ZERO, 1.0))
            .build(),
        MID_HOUR);
  }

  private static TestStream.Builder<Detection> stream() {
    return TestStream.create(SchemaCoders.of(Detection.class));
  }

  @Test
  void anomaliesOfOneWindowMakeOneDigestAndNormalRowsNone(TestPipeline pipeline) throws Exception {
    TestStream<Detection> detections =
        stream()
            .addElements(
                SampleDetections.scored("a-1", true),
                SampleDetections.scored("n-1", false),
                SampleDetections.scored("a-2", true),
                SampleDetections.scored("a-3", true))
            .advanceProcessingTime(PAST_WINDOW)
            .addElements(SampleDetections.scored("n-2", false))
            .advanceProcessingTime(PAST_WINDOW)
            .advanceWatermarkToInfinity();

    PCollection<Failure> failures = pipeline.apply(detections).apply(alerts(10, toOutbox()));
    PAssert.that(failures).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(List.of(Set.of("a-1", "a-2", "a-3")), uidsPerDigest());
    assertEquals(1, MetricCounts.attempted(result, AlertOnAnomalies.class, "alerts_sent"));
    assertEquals(3, MetricCounts.attempted(result, AlertOnAnomalies.class, "anomalies_alerted"));
  }

  @Test
  void anomaliesOfTwoWindowsMakeTwoDigests(TestPipeline pipeline) throws Exception {
    TestStream<Detection> detections =
        stream()
            .addElements(SampleDetections.scored("a-1", true), SampleDetections.scored("a-2", true))
            .advanceProcessingTime(PAST_WINDOW)
            .addElements(SampleDetections.scored("a-3", true))
            .advanceProcessingTime(PAST_WINDOW)
            .advanceWatermarkToInfinity();

    pipeline.apply(detections).apply(alerts(10, toOutbox()));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    List<Set<String>> digests = uidsPerDigest();
    assertEquals(2, digests.size(), digests.toString());
    assertTrue(
        digests.containsAll(List.of(Set.of("a-1", "a-2"), Set.of("a-3"))), digests::toString);
    assertEquals(2, MetricCounts.attempted(result, AlertOnAnomalies.class, "alerts_sent"));
  }

  @Test
  void theHourlyCapSuppressesAndCountsTheDigestsBeyondIt(TestPipeline pipeline) throws Exception {
    TestStream.Builder<Detection> builder = stream();
    for (int window = 1; window <= 4; window++) {
      builder =
          builder
              .addElements(SampleDetections.scored("a-" + window, true))
              .advanceProcessingTime(PAST_WINDOW);
    }

    PCollection<Failure> failures =
        pipeline.apply(builder.advanceWatermarkToInfinity()).apply(alerts(2, toOutbox()));
    PAssert.that(failures).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(
        List.of(Set.of("a-1"), Set.of("a-2")),
        uidsPerDigest().stream().sorted((a, b) -> a.toString().compareTo(b.toString())).toList(),
        "the first two windows were mailed, the later ones held back");
    assertEquals(2, MetricCounts.attempted(result, AlertOnAnomalies.class, "alerts_sent"));
    assertEquals(
        2, MetricCounts.attempted(result, AlertOnAnomalies.class, "alerts_suppressed_by_cap"));
  }

  @Test
  void aDigestThatCannotBeDeliveredBecomesADeadLetter(TestPipeline pipeline) throws Exception {
    MailSettings nobodyListening =
        MailSettings.builder()
            .setSmtpHost("127.0.0.1")
            .setSmtpPort(closedPort())
            .setTls(MailSettings.Tls.NONE)
            .setFrom("a@example.com")
            .setTo(List.of("oncall@example.com"))
            .build();
    TestStream<Detection> detections =
        stream()
            .addElements(SampleDetections.scored("a-1", true))
            .advanceProcessingTime(PAST_WINDOW)
            .advanceWatermarkToInfinity();

    PCollection<Failure> failures = pipeline.apply(detections).apply(alerts(10, nobodyListening));
    PAssert.that(failures)
        .satisfies(
            output -> {
              List<Failure> all = StreamSupport.stream(output.spliterator(), false).toList();
              assertEquals(1, all.size(), all.toString());
              Failure failure = all.get(0);
              assertEquals(AlertOnAnomalies.STAGE, failure.getStage());
              assertTrue(
                  failure.getReason().startsWith("alert email not delivered"), failure.getReason());
              assertTrue(failure.payloadAsText().contains("uid a-1 "), failure.payloadAsText());
              assertTrue(
                  failure.getAttributes().get("subject").contains("1 anomalous message"),
                  failure.getAttributes().toString());
              return null;
            });
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(1, MetricCounts.attempted(result, AlertOnAnomalies.class, "alerts_failed"));
    assertEquals(0, MetricCounts.attempted(result, AlertOnAnomalies.class, "alerts_sent"));
  }

  @Test
  void streamAlertsAndAnomaliesOfOneWindowMakeOneDigestWithTheirSections(TestPipeline pipeline)
      throws Exception {
    // one stream for both kinds, so the test's processing time orders them all
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .addElements("a-1", "drift", "n-1", "topic", "a-2")
            .advanceProcessingTime(PAST_WINDOW)
            .advanceWatermarkToInfinity();
    PCollection<String> all = pipeline.apply(events);
    PCollection<Detection> detections =
        all.apply("Messages", Filter.by((String e) -> e.contains("-")))
            .apply(
                "AsDetections",
                MapElements.into(TypeDescriptor.of(Detection.class))
                    .via((String uid) -> SampleDetections.scored(uid, uid.startsWith("a-"))))
            .setCoder(SchemaCoders.of(Detection.class));
    PCollection<StreamAlert> streamAlerts =
        all.apply("StreamEvents", Filter.by((String e) -> !e.contains("-")))
            .apply(
                "AsStreamAlerts",
                MapElements.into(TypeDescriptor.of(StreamAlert.class))
                    .via(AlertOnAnomaliesTest::streamAlert))
            .setCoder(SerializableCoder.of(StreamAlert.class));

    PCollection<Failure> failures =
        detections.apply(alerts(10, toOutbox()).withStreamAlerts(streamAlerts));
    PAssert.that(failures).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(List.of(Set.of("a-1", "a-2")), uidsPerDigest(), "one digest");
    String body = bodies().get(0);
    int drift = body.indexOf("Drift\n\n- window 2026-11-23T08:50:00Z to 2026-11-23T09:00:00Z");
    int topics = body.indexOf("Emerging topics\n\n- new topic topic-20261123T0900-1: 7 messages");
    int anomalies = body.indexOf("Anomalous messages\n\n1. uid a-");
    assertTrue(drift >= 0 && topics > drift && anomalies > topics, body);
    assertTrue(body.startsWith("1 drifting window, 1 emerging topic, 2 anomalous messages"), body);
    assertTrue(body.contains("e.g. the servers are down again"), body);
    assertEquals(1, MetricCounts.attempted(result, AlertOnAnomalies.class, "alerts_sent"));
    assertEquals(2, MetricCounts.attempted(result, AlertOnAnomalies.class, "anomalies_alerted"));
  }

  private static StreamAlert streamAlert(String kind) {
    java.time.Instant end = SampleDetections.TIME;
    if (kind.equals("drift")) {
      return StreamAlert.drift(
          new WindowSummary(
              end.minusSeconds(600),
              end,
              120,
              30,
              new DriftDecision(9.5, 4.0, 0.2, 0.05, true),
              1,
              "v1",
              "ON_TIME",
              0));
    }
    return StreamAlert.topic(
        new TopicEvent(
            "topic-20261123T0900-1",
            end,
            end,
            7,
            List.of("a-1", "a-2", "t-3", "t-4", "t-5", "t-6", "t-7"),
            List.of("servers", "down"),
            List.of("the servers are down again"),
            "v1",
            true));
  }

  /** The text of each digest in the outbox, in file name order. */
  private List<String> bodies() throws Exception {
    List<String> bodies = new ArrayList<>();
    List<Path> emails;
    try (Stream<Path> files = Files.list(outbox)) {
      emails = files.filter(p -> p.getFileName().toString().endsWith(".eml")).sorted().toList();
    }
    for (Path email : emails) {
      try (InputStream in = Files.newInputStream(email)) {
        bodies.add(
            ((String) new MimeMessage(Session.getInstance(new Properties()), in).getContent())
                .replace("\r\n", "\n"));
      }
    }
    return bodies;
  }

  /** The uids each digest in the outbox lists, one set per digest. */
  private List<Set<String>> uidsPerDigest() throws Exception {
    List<Set<String>> digests = new ArrayList<>();
    if (!Files.isDirectory(outbox)) {
      return digests;
    }
    List<Path> emails;
    try (Stream<Path> files = Files.list(outbox)) {
      emails = files.filter(p -> p.getFileName().toString().endsWith(".eml")).sorted().toList();
    }
    for (Path email : emails) {
      String body;
      try (InputStream in = Files.newInputStream(email)) {
        body = (String) new MimeMessage(Session.getInstance(new Properties()), in).getContent();
      }
      Set<String> uids = new TreeSet<>();
      Matcher listed = LISTED_UID.matcher(body);
      while (listed.find()) {
        uids.add(listed.group(1));
      }
      digests.add(uids);
    }
    return digests;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
