package dev.anomalystream.detect;

import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.DetectionRow;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubIO;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessageWithAttributesCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes each detection row ({@code --detectionsTopic}) as compact JSON, the same row as the
 * detections table and the NDJSON files ({@link DetectionRow#toRow}), on the bus the detector
 * reads: a Pub/Sub message with attributes {@code uid} and {@code is_anomaly} (so a subscriber can
 * filter anomalies without parsing), or a Kafka record with key = uid.
 */
public final class PublishDetections extends PTransform<PCollection<Detection>, PDone> {
  private final String pubsubTopicPath;
  private final String bootstrapServers;
  private final String kafkaTopic;

  private PublishDetections(String pubsubTopicPath, String bootstrapServers, String kafkaTopic) {
    this.pubsubTopicPath = pubsubTopicPath;
    this.bootstrapServers = bootstrapServers;
    this.kafkaTopic = kafkaTopic;
  }

  /** To a Pub/Sub topic, {@code projects/<p>/topics/<t>}. */
  public static PublishDetections toPubsub(String topicPath) {
    return new PublishDetections(topicPath, null, null);
  }

  public static PublishDetections toKafka(String bootstrapServers, String topic) {
    return new PublishDetections(null, bootstrapServers, topic);
  }

  static String toJson(Detection detection) {
    return WriteRows.toJson(DetectionRow.toRow(detection));
  }

  static PubsubMessage toPubsubMessage(Detection detection) {
    return new PubsubMessage(
        toJson(detection).getBytes(StandardCharsets.UTF_8),
        Map.of(
            DetectionRow.UID,
            detection.getMessage().getUid(),
            DetectionRow.IS_ANOMALY,
            Boolean.toString(detection.isAnomaly())));
  }

  @Override
  public PDone expand(PCollection<Detection> detections) {
    if (pubsubTopicPath != null) {
      return detections
          .apply(
              "ToPubsubMessages",
              MapElements.into(TypeDescriptor.of(PubsubMessage.class))
                  .via(PublishDetections::toPubsubMessage))
          .setCoder(PubsubMessageWithAttributesCoder.of())
          .apply("WritePubsub", PubsubIO.writeMessages().to(pubsubTopicPath));
    }
    return detections
        .apply(
            "ToKafkaRecords",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via((Detection d) -> KV.of(d.getMessage().getUid(), toJson(d))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply(
            "WriteKafka",
            KafkaIO.<String, String>write()
                .withBootstrapServers(bootstrapServers)
                .withTopic(kafkaTopic)
                .withKeySerializer(StringSerializer.class)
                .withValueSerializer(StringSerializer.class));
  }
}
