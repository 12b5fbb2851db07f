package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.anomalystream.core.beam.MetricCounts;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.detection.MessageDecoder;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.model.AnomalyDetector;
import dev.anomalystream.core.model.ModelMetadata;
import dev.anomalystream.core.model.ModelRelease;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.testing.TestReleases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessageWithAttributesAndMessageIdCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing by group, from the message attribute to the row: DecodeMessages reads the group
 * attribute, ScoreMessages scores with the release's group model when it has one and else with the
 * global model. The release is trained here on made-up 384-dimensional vectors (three groups, each
 * its own region), labelled with the embedding the detector runs so it loads; texts are not
 * embedded, each message's vector is chosen by its uid.
 */
@ExtendWith(TestPipelineExtension.class)
class GroupRoutingTest {
  private static final EmbedderOptions EMBEDDING = EmbedderOptions.of("builtin:all-minilm-l6-v2");
  private static final String GROUP_ATTRIBUTE = "channel";
  private static final org.joda.time.Instant PUBLISHED =
      org.joda.time.Instant.parse("2026-11-30T10:00:00Z");

  /** uid → the vector EmbedMessages would have given it; read by the pipeline in this JVM. */
  private static final Map<String, float[]> VECTORS = new ConcurrentHashMap<>();

  @TempDir static Path root;
  private static String version;

  @BeforeAll
  static void publishARelease() throws IOException {
    ModelStore store = ModelStore.open(root.toString(), "tweets");
    TestReleases.Groups groups = TestReleases.groups(List.of("a", "b", "c"), 250, 384, 11);
    version =
        TestReleases.trainAndPublish(
                store,
                groups,
                ModelMetadata.Embedding.of(SharedEmbedders.get(EMBEDDING)),
                Instant.parse("2026-11-30T09:00:00Z"))
            .version();
    String[] uids = {"own", "cross", "none", "unknown", "empty", "long"};
    for (int i = 0; i < uids.length; i++) {
      VECTORS.put(uids[i], groups.near("a", 500 + i));
    }
  }

  private static PubsubMessage message(String uid, String group) {
    Map<String, String> attributes = new HashMap<>();
    attributes.put("uid", uid);
    if (group != null) {
      attributes.put(GROUP_ATTRIBUTE, group);
    }
    return new PubsubMessage(("text of " + uid).getBytes(StandardCharsets.UTF_8), attributes, uid);
  }

  @Test
  void eachMessageIsScoredByItsGroupsModelOrElseTheGlobalOne(TestPipeline pipeline)
      throws IOException {
    List<PubsubMessage> messages =
        List.of(
            message("own", "a"),
            message("cross", "b"),
            message("none", null),
            message("unknown", "zz"),
            message("empty", ""),
            message("long", "x".repeat(129)));
    PCollectionTuple decoded =
        pipeline
            // stamped like a Pub/Sub read: the decoder takes the element time as publish time
            .apply(
                Create.timestamped(
                        messages.stream().map(m -> TimestampedValue.of(m, PUBLISHED)).toList())
                    .withCoder(PubsubMessageWithAttributesAndMessageIdCoder.of()))
            .apply(
                new DecodeMessages(
                    new MessageDecoder("uid", 100).withGroupAttribute(GROUP_ATTRIBUTE)));
    PCollectionView<String> fixedVersion =
        pipeline
            .apply("Version", Create.of(version).withCoder(StringUtf8Coder.of()))
            .apply(View.asSingleton());
    PCollectionTuple scored =
        decoded
            .get(DecodeMessages.MESSAGES)
            .apply(
                "WithVectors",
                MapElements.into(new TypeDescriptor<KV<InboundMessage, float[]>>() {})
                    .via(m -> KV.of(m, VECTORS.get(m.getUid()))))
            // one batch: messages of one batch routed to different models
            .setCoder(EmbeddedBatches.PAIR_CODER)
            .apply(EmbeddedBatches.together())
            .apply(
                new ScoreMessages(
                    fixedVersion,
                    ModelLocation.of(root.toString(), "tweets"),
                    EMBEDDING,
                    AnomalyDetector.Overrides.none(),
                    false));

    PAssert.that(scored.get(ScoreMessages.DETECTIONS))
        .satisfies(
            rows -> {
              Map<String, Detection> byUid =
                  StreamSupport.stream(rows.spliterator(), false)
                      .collect(Collectors.toMap(d -> d.getMessage().getUid(), d -> d));
              assertEquals(6, byUid.size(), byUid.keySet().toString());
              Map<String, String> scopes =
                  byUid.entrySet().stream()
                      .collect(
                          Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getModelScope()));
              String group = ModelRelease.GROUP_SCOPE;
              String global = ModelRelease.GLOBAL_SCOPE;
              assertEquals(
                  Map.of(
                      "own", group,
                      "cross", group,
                      "none", global,
                      "unknown", global,
                      "empty", global,
                      "long", global),
                  scopes);
              Map<String, Boolean> anomalies =
                  byUid.entrySet().stream()
                      .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().isAnomaly()));
              // every message lies in group a's region: only group b's model finds it odd
              assertEquals(
                  Map.of(
                      "own", false,
                      "cross", true,
                      "none", false,
                      "unknown", false,
                      "empty", false,
                      "long", false),
                  anomalies);
              assertEquals("b", byUid.get("cross").getMessage().getGroup());
              assertEquals("zz", byUid.get("unknown").getMessage().getGroup());
              assertNull(byUid.get("long").getMessage().getGroup(), "an invalid value is dropped");
              byUid.values().forEach(d -> assertEquals(version, d.getModelVersion()));
              return null;
            });
    PAssert.that(scored.get(ScoreMessages.FAILURES)).empty();
    PAssert.that(decoded.get(DecodeMessages.FAILURES)).empty();

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    // a value that is not UTF-8 cannot cross a coder as such (it becomes '?'): the decoder's own
    // and KafkaRecordMessages' tests cover it
    assertEquals(2, MetricCounts.attempted(result, DecodeMessages.class, "group_invalid"));
    assertEquals(
        2, MetricCounts.attempted(result, ScoreMessages.class, "messages_scored_by_group_model"));
  }
}
