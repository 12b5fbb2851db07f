package dev.anomalystream.detect;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.services.bigquery.model.TableRow;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.testing.FakeBigQuery;
import dev.anomalystream.core.testing.PubsubEmulator;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole detector on the DirectRunner in streaming mode: the real Pub/Sub emulator in, a real
 * model (trained here on a made-up corpus), Beam's fake BigQuery, a GreenMail SMTP server and a
 * Pub/Sub detections topic out.
 */
class DetectPipelineEndToEndTest {
  @RegisterExtension static final PubsubEmulator PUBSUB = new PubsubEmulator();

  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private static final String PROJECT = PubsubEmulator.PROJECT;
  private static final String DATASET = "anomalies";
  @TempDir static Path models;
  private static String publishedVersion;

  @BeforeAll
  static void trainModel() throws Exception {
    publishedVersion = EndToEndModel.publish(models, Instant.parse("2026-11-23T08:00:00Z"));
  }

  @Test
  void everyGoodMessageGetsOneRowAnomaliesAreMailedAndBadOnesAreDeadLettered() throws Exception {
    PUBSUB.createTopic("tweets");
    PUBSUB.createSubscription("detector", "tweets");
    PUBSUB.createTopic("detections");
    PUBSUB.createSubscription("detections-reader", "detections");
    List<String> args = new ArrayList<>(PUBSUB.beamArgs());
    args.addAll(
        List.of(
            "--subscription=detector",
            "--detectionsTopic=detections",
            "--model=" + models,
            "--modelName=tweets",
            "--modelRefreshSeconds=0",
            "--outputTable=" + PROJECT + ":" + DATASET + ".detections",
            "--maxChars=300",
            "--maxBatchWaitMillis=200",
            "--alertWindowSeconds=3",
            "--smtpHost=127.0.0.1",
            "--smtpPort=" + SMTP.getSmtp().getPort(),
            "--smtpTls=none",
            "--alertTo=oncall@example.com",
            "--blockOnRun=false"));
    DetectOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(DetectOptions.class);
    FakeDatasetService bigQuery = FakeBigQuery.installIn(options, PROJECT, DATASET);
    PipelineResult result = DetectPipeline.run(options);
    try {
      assertEquals(
          EndToEndModel.EMBEDDING, options.getEmbeddingModel(), "taken from the model's metadata");
      Map<String, String> normal = new HashMap<>();
      // fresh tweets: the model never saw them
      EndToEndModel.unseenTweets(20).forEach(t -> normal.put("normal-" + normal.size(), t));
      Map<String, String> offTopic = new HashMap<>();
      SyntheticCorpus.offTopic(6, 5).forEach(t -> offTopic.put("offtopic-" + offTopic.size(), t));

      normal.forEach((uid, text) -> publish(uid, text));
      offTopic.forEach((uid, text) -> publish(uid, text));
      publish("normal-0", normal.get("normal-0")); // a redelivery: same uid
      PUBSUB.publish("tweets", new byte[0], Map.of("uid", "bad-empty"));
      PUBSUB.publish("tweets", new byte[] {(byte) 0xC3, 0x28}, Map.of("uid", "bad-encoding"));
      PUBSUB.publish(
          "tweets", "x".repeat(301).getBytes(StandardCharsets.UTF_8), Map.of("uid", "bad-long"));

      await("26 detection rows")
          .atMost(Duration.ofSeconds(180))
          .until(() -> rows(bigQuery, "detections").size(), n -> n >= 26);
      // a bounded wait for a row that must not come: the duplicate would show up within a commit
      // of the exactly-once write
      long commit = options.getBigQueryTriggeringFrequencySeconds();
      await("no 27th row (the duplicate uid)")
          .during(Duration.ofSeconds(commit + 3))
          .atMost(Duration.ofSeconds(commit + 10))
          .until(() -> rows(bigQuery, "detections").size(), n -> n == 26);
      List<TableRow> rows = rows(bigQuery, "detections");
      List<TableRow> errors =
          await("3 error rows")
              .atMost(Duration.ofSeconds(60))
              .until(() -> rows(bigQuery, "detections_errors"), r -> r.size() >= 3);

      Map<String, Long> rowsPerUid =
          rows.stream()
              .collect(Collectors.groupingBy(r -> (String) r.get("uid"), Collectors.counting()));
      assertEquals(
          26, rows.size(), "one row per good message, the duplicate dropped: " + rowsPerUid);
      assertTrue(rowsPerUid.values().stream().allMatch(n -> n == 1));
      Set<String> flagged =
          rows.stream()
              // BigQuery's JSON form: a BOOL reads back as "true"
              .filter(r -> "true".equals(r.get("is_anomaly")))
              .map(r -> (String) r.get("uid"))
              .collect(Collectors.toSet());
      assertTrue(flagged.containsAll(offTopic.keySet()), "flagged " + flagged);
      long falseAlarms = flagged.stream().filter(normal::containsKey).count();
      assertTrue(falseAlarms <= 2, "normal messages flagged: " + falseAlarms);
      TableRow sample = rows.get(0);
      assertEquals(publishedVersion, sample.get("model_version"));
      assertEquals("sentence-transformers/all-MiniLM-L6-v2", sample.get("embedding_model"));
      assertTrue(sample.get("decision").toString().startsWith("knn>"), sample.toString());
      // the model version's map basis places every message on the dashboard's map
      assertTrue(
          rows.stream().allMatch(r -> r.get("map_x") != null && r.get("map_y") != null),
          sample.toString());

      // the same rows, as JSON messages on --detectionsTopic
      List<PubsubEmulator.Pulled> published =
          PUBSUB.pullAtLeast("detections-reader", 26, Duration.ofSeconds(60));
      assertEquals(26, published.size());
      for (PubsubEmulator.Pulled message : published) {
        JsonNode json = Json.MAPPER.readTree(message.data());
        assertEquals(json.get("uid").asText(), message.attributes().get("uid"), message.data());
        assertEquals(
            json.get("is_anomaly").asBoolean(),
            Boolean.parseBoolean(message.attributes().get("is_anomaly")),
            message.data());
        assertEquals(publishedVersion, json.get("model_version").asText());
      }
      assertEquals(
          rowsPerUid.keySet(),
          published.stream().map(m -> m.attributes().get("uid")).collect(Collectors.toSet()));
      assertEquals(
          flagged,
          published.stream()
              .filter(m -> "true".equals(m.attributes().get("is_anomaly")))
              .map(m -> m.attributes().get("uid"))
              .collect(Collectors.toSet()));

      Set<String> reasons =
          errors.stream()
              .map(r -> r.get("stage") + ": " + r.get("reason"))
              .collect(Collectors.toSet());
      assertTrue(reasons.contains("decode: empty payload"), reasons.toString());
      assertTrue(reasons.contains("decode: payload is not valid UTF-8"), reasons.toString());
      assertTrue(
          reasons.contains("decode: text has 301 characters, more than the maximum of 300"),
          reasons.toString());

      List<MimeMessage> mails =
          await("a digest with every flagged message")
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> List.of(SMTP.getReceivedMessages()),
                  m -> flagged.stream().allMatch(uid -> mentions(m, uid)));
      for (String uid : flagged) {
        long digestsMentioning =
            mails.stream()
                .filter(m -> GreenMailUtil.getBody(m).contains("uid " + uid + " "))
                .count();
        assertEquals(1, digestsMentioning, uid + " is in exactly one digest");
      }
      assertTrue(mails.size() <= 2, "one digest per window: " + mails.size());
    } finally {
      result.cancel();
    }
  }

  private static boolean mentions(List<MimeMessage> mails, String uid) {
    return mails.stream().anyMatch(m -> GreenMailUtil.getBody(m).contains("uid " + uid + " "));
  }

  private static void publish(String uid, String text) {
    PUBSUB.publish(
        "tweets",
        text.getBytes(StandardCharsets.UTF_8),
        Map.of("uid", uid, "event_time", Instant.now().toString()));
  }

  private static List<TableRow> rows(FakeDatasetService bigQuery, String table) {
    try {
      return bigQuery.getAllRows(PROJECT, DATASET, table);
    } catch (Exception e) {
      return List.of(); // the table appears with the first insert
    }
  }
}
