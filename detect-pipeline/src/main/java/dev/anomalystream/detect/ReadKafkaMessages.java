package dev.anomalystream.detect;

import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.failure.Failure;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessageWithAttributesAndMessageIdCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Duration;

/**
 * Reads a Kafka topic as the detector's messages ({@code --source=kafka}): {@link #MESSAGES} in the
 * envelope {@link DecodeMessages} takes (see {@link KafkaRecordMessages}), and {@link #FAILURES}
 * for records that cannot become one.
 *
 * <ul>
 *   <li>Keys and values are read as bytes, so a value that is not UTF-8 reaches the decode rules
 *       (and the dead letters) with its bytes intact instead of failing in a deserializer.
 *   <li>The consumer group is {@code --consumerGroup}; a group with no committed offsets starts at
 *       the earliest offset ({@code auto.offset.reset=earliest}), so a detector does not skip a
 *       backlog published before its first start.
 *   <li>Offsets are committed when the runner finalizes a checkpoint ({@code
 *       commitOffsetsInFinalize}), i.e. once what was read is durable in the runner; a restart
 *       resumes there.
 *   <li>Element timestamps are the records' timestamps, which the ingest sets to the event time
 *       (CreateTime); the watermark trails the newest one by {@link #MAX_DELAY}.
 * </ul>
 */
public final class ReadKafkaMessages extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<PubsubMessage> MESSAGES = new TupleTag<>("kafka-messages") {};
  public static final TupleTag<Failure> FAILURES = new TupleTag<>("read-kafka-failures") {};

  /**
   * How far records may arrive out of timestamp order and still be on time. Nothing in the detector
   * windows by event time (its panes are processing time), so a later record is not dropped either;
   * the delay only keeps the watermark honest for a producer with several threads or clocks.
   */
  static final Duration MAX_DELAY = Duration.standardMinutes(2);

  private final String bootstrapServers;
  private final String topic;
  private final String consumerGroup;
  private final KafkaRecordMessages converter;

  public ReadKafkaMessages(
      String bootstrapServers, String topic, String consumerGroup, String uidAttribute) {
    this(bootstrapServers, topic, consumerGroup, uidAttribute, null);
  }

  /**
   * @param groupAttribute the group header, whose value may fail to be UTF-8 without refusing the
   *     record ({@link KafkaRecordMessages}); null for none
   */
  public ReadKafkaMessages(
      String bootstrapServers,
      String topic,
      String consumerGroup,
      String uidAttribute,
      String groupAttribute) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.consumerGroup = consumerGroup;
    this.converter = new KafkaRecordMessages(uidAttribute, groupAttribute);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple read =
        begin
            .apply(
                "ReadKafka",
                KafkaIO.<byte[], byte[]>read()
                    .withBootstrapServers(bootstrapServers)
                    .withTopic(topic)
                    .withKeyDeserializer(ByteArrayDeserializer.class)
                    .withValueDeserializer(ByteArrayDeserializer.class)
                    .withConsumerConfigUpdates(
                        Map.of(
                            ConsumerConfig.GROUP_ID_CONFIG,
                            consumerGroup,
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                            "earliest"))
                    .withCreateTime(MAX_DELAY)
                    .commitOffsetsInFinalize())
            .apply(
                "ToMessages",
                ParDo.of(new ToMessageFn(converter))
                    .withOutputTags(MESSAGES, TupleTagList.of(FAILURES)));
    read.get(MESSAGES).setCoder(PubsubMessageWithAttributesAndMessageIdCoder.of());
    // a tagged output's inferred coder would be SerializableCoder, not Failure's schema coder
    read.get(FAILURES).setCoder(SchemaCoders.of(Failure.class));
    return read;
  }

  /** Thin: the rules are {@link KafkaRecordMessages}'. */
  private static final class ToMessageFn extends DoFn<KafkaRecord<byte[], byte[]>, PubsubMessage> {
    private final Counter records = Metrics.counter(ReadKafkaMessages.class, "records_in");
    private final KafkaRecordMessages converter;

    ToMessageFn(KafkaRecordMessages converter) {
      this.converter = converter;
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record, MultiOutputReceiver out) {
      records.inc();
      KafkaRecordMessages.Converted converted = converter.convert(record);
      if (converted.ok()) {
        out.get(MESSAGES).output(converted.message());
      } else {
        out.get(FAILURES).output(converted.failure());
      }
    }
  }
}
