package dev.anomalystream.core.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.anomalystream.core.beam.SchemaCoders;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

class DetectionSchemaTest {
  static final Instant PUBLISHED = Instant.parse("2026-11-23T09:00:00.123456Z");

  static SchemaCoder<InboundMessage> messageCoder() {
    return SchemaCoders.of(InboundMessage.class);
  }

  static SchemaCoder<Detection> detectionCoder() {
    return SchemaCoders.of(Detection.class);
  }

  static InboundMessage sparseMessage() {
    return InboundMessage.builder().setUid("u2").setText("hi").setPublishTime(PUBLISHED).build();
  }

  static Detection sparseDetection() {
    return Detection.builder()
        .setMessage(sparseMessage())
        .setCluster(3)
        .setProbability(0.9)
        .setAnomaly(false)
        .setDecision("cluster")
        .setModelVersion("v1")
        .setEmbeddingModel("builtin:bge-small-en-v1.5")
        .setProcessedTime(PUBLISHED.plusMillis(250))
        .build();
  }

  static Detection fullDetection() {
    return sparseDetection().toBuilder()
        .setMessage(
            sparseMessage().toBuilder()
                .setLabel("joy")
                .setEventTime(PUBLISHED.minusSeconds(1))
                .setGroup("channel-7")
                .build())
        .setModelScope("group")
        .setCluster(-1)
        .setProbability(0.0)
        .setOutlierScore(0.93)
        .setKnnScore(0.41)
        .setAnomaly(true)
        .setDecision("glosh>0.8300")
        .setThreshold(0.83)
        .setEmbedding(new float[] {0.6f, -0.8f, 0f})
        .build();
  }

  @Test
  void inboundMessageRoundTripsThroughItsSchemaCoderWithAndWithoutOptionalFields()
      throws Exception {
    InboundMessage full =
        sparseMessage().toBuilder().setLabel("joy").setEventTime(PUBLISHED.minusSeconds(1)).build();
    assertEquals(full, CoderUtils.clone(messageCoder(), full));
    assertEquals(sparseMessage(), CoderUtils.clone(messageCoder(), sparseMessage()));
    assertEquals(
        sparseMessage(),
        CoderUtils.clone(SerializableUtils.clone(messageCoder()), sparseMessage()));
  }

  @Test
  void detectionRoundTripsWithNullScoresAndWithTheOptionalEmbedding() throws Exception {
    Detection sparse = CoderUtils.clone(detectionCoder(), sparseDetection());
    assertEquals(sparseDetection(), sparse);
    assertNull(sparse.getOutlierScore());
    assertNull(sparse.getThreshold());
    assertNull(sparse.getEmbedding());
    assertNull(sparse.getMessage().getLabel());
    assertNull(sparse.getMessage().getEventTime());
    assertNull(sparse.getMessage().getGroup());
    assertNull(sparse.getModelScope());

    Detection full = CoderUtils.clone(detectionCoder(), fullDetection());
    assertEquals(fullDetection(), full);
    assertArrayEquals(new float[] {0.6f, -0.8f, 0f}, full.getEmbedding());
    assertEquals(PUBLISHED.minusSeconds(1), full.getMessage().getEventTime());
    assertEquals("channel-7", full.getMessage().getGroup());
    assertEquals("group", full.getModelScope());
    assertEquals(
        detectionCoder().getSchema(),
        SerializableUtils.clone(detectionCoder()).getSchema(),
        "a worker must decode with the schema the job was built with");
  }

  @Test
  void timesAreKeptToTheMicrosecondLikeBigQueryTimestamps() throws Exception {
    InboundMessage message =
        sparseMessage().toBuilder()
            .setPublishTime(Instant.parse("2026-01-01T00:00:00.123456789Z"))
            .setEventTime(Instant.parse("1969-12-31T23:59:59.999999999Z"))
            .build();
    InboundMessage back = CoderUtils.clone(messageCoder(), message);
    assertEquals(Instant.parse("2026-01-01T00:00:00.123456Z"), back.getPublishTime());
    assertEquals(Instant.parse("1969-12-31T23:59:59.999999Z"), back.getEventTime());
  }

  /**
   * The order is the encoded order, fixed by {@code @SchemaFieldNumber}: elements in flight in a
   * running job were written in it, so a new field may only be appended, nullable.
   */
  @Test
  void schemaNamesEveryFieldInEncodedOrderAndMarksTheOptionalOnesNullable() throws Exception {
    Schema message = messageCoder().getSchema();
    assertEquals(
        List.of("uid", "text", "label", "eventTimeMicros", "publishTimeMicros", "group"),
        message.getFieldNames());
    assertEquals(
        List.of("label", "eventTimeMicros", "group"),
        message.getFields().stream()
            .filter(f -> f.getType().getNullable())
            .map(Schema.Field::getName)
            .toList());

    Schema detection = detectionCoder().getSchema();
    assertEquals(
        List.of(
            "message",
            "cluster",
            "probability",
            "outlierScore",
            "knnScore",
            "anomaly",
            "decision",
            "threshold",
            "modelVersion",
            "embeddingModel",
            "processedTimeMicros",
            "embedding",
            "mapX",
            "mapY",
            "learned",
            "hstScore",
            "knnSimilarities",
            "modelScope"),
        detection.getFieldNames());
    assertEquals(
        List.of(
            "outlierScore",
            "knnScore",
            "threshold",
            "embedding",
            "mapX",
            "mapY",
            "learned",
            "hstScore",
            "knnSimilarities",
            "modelScope"),
        detection.getFields().stream()
            .filter(f -> f.getType().getNullable())
            .map(Schema.Field::getName)
            .toList());
    assertEquals(FieldType.row(message), detection.getField("message").getType());
    assertEquals(
        FieldType.array(FieldType.FLOAT).withNullable(true),
        detection.getField("embedding").getType());
  }

  @Test
  void builderRefusesAMissingRequiredField() {
    NullPointerException nullUid =
        assertThrows(NullPointerException.class, () -> InboundMessage.builder().setUid(null));
    assertEquals("Null uid", nullUid.getMessage());
    IllegalStateException missing =
        assertThrows(
            IllegalStateException.class,
            () -> Detection.builder().setMessage(sparseMessage()).build());
    assertEquals(
        "Missing required properties: cluster probability anomaly decision modelVersion"
            + " embeddingModel processedTimeMicros",
        missing.getMessage());
  }
}
