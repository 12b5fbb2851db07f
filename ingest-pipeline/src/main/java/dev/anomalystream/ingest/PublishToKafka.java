package dev.anomalystream.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.ProducerRecordCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes corpus messages to a Kafka topic: as fast as possible through {@link KafkaIO}, or, with a
 * rate, paced one by one from a DoFn with its own producer (for the reason {@link PublishMessages}
 * gives). Each message becomes a record with key = uid, value = the UTF-8 text, headers {@code
 * label}, {@code split}, {@code event_time}, and the event time as the record's timestamp (see
 * {@link CorpusMessages#toKafkaRecord}).
 */
public final class PublishToKafka extends PTransform<PCollection<PubsubMessage>, PDone> {
  private final String bootstrapServers;
  private final String topic;
  private final String uidAttribute;
  private final double ratePerSecond;

  /**
   * @param ratePerSecond 0 writes as fast as possible
   */
  public PublishToKafka(
      String bootstrapServers, String topic, String uidAttribute, double ratePerSecond) {
    if (ratePerSecond < 0) {
      throw new IllegalArgumentException("--rate must be 0 or positive, was " + ratePerSecond);
    }
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.uidAttribute = uidAttribute;
    this.ratePerSecond = ratePerSecond;
  }

  @Override
  public PDone expand(PCollection<PubsubMessage> messages) {
    if (ratePerSecond > 0) {
      messages.apply(
          "WritePaced",
          ParDo.of(new PacedWriteFn(bootstrapServers, topic, uidAttribute, ratePerSecond)));
      return PDone.in(messages.getPipeline());
    }
    String recordTopic = topic;
    String uid = uidAttribute;
    return messages
        .apply(
            "ToKafkaRecords",
            MapElements.into(new TypeDescriptor<ProducerRecord<String, String>>() {})
                .via(message -> CorpusMessages.toKafkaRecord(message, recordTopic, uid)))
        .setCoder(ProducerRecordCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply(
            "WriteBatched",
            KafkaIO.<String, String>writeRecords()
                .withBootstrapServers(bootstrapServers)
                .withTopic(topic)
                .withKeySerializer(StringSerializer.class)
                .withValueSerializer(StringSerializer.class));
  }

  private static final class PacedWriteFn extends DoFn<PubsubMessage, Void> {
    private final Counter published = Metrics.counter(PublishToKafka.class, "records_written");
    private final String bootstrapServers;
    private final String topic;
    private final String uidAttribute;
    private final double ratePerSecond;
    private transient KafkaProducer<String, String> producer;
    private transient Pacer pacer;

    PacedWriteFn(String bootstrapServers, String topic, String uidAttribute, double rate) {
      this.bootstrapServers = bootstrapServers;
      this.topic = topic;
      this.uidAttribute = uidAttribute;
      this.ratePerSecond = rate;
    }

    @Setup
    public void setup() {
      producer =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
              new StringSerializer(),
              new StringSerializer());
      pacer = Pacer.shared("kafka:" + bootstrapServers + "/" + topic, ratePerSecond);
    }

    @ProcessElement
    public void process(@Element PubsubMessage message)
        throws InterruptedException, ExecutionException {
      pacer.acquire();
      PubsubMessage stamped = CorpusMessages.withEventTime(message, Instant.now());
      // one record at a time, acknowledged before the next slot: the pace is the broker's
      producer.send(CorpusMessages.toKafkaRecord(stamped, topic, uidAttribute)).get();
      published.inc();
    }

    @Teardown
    public void teardown() {
      if (producer != null) {
        producer.close();
      }
    }
  }
}
