package dev.anomalystream.detect;

import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.detection.MessageDecoder;
import dev.anomalystream.core.failure.Failure;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pub/Sub messages (or Kafka records in the same envelope, see {@link KafkaRecordMessages}) to
 * {@link InboundMessage}s by the rules of {@link MessageDecoder}; a message that breaks them
 * (empty, undecodable, oversized, no uid, bad event_time) goes to {@link #FAILURES} with the reason
 * and its original bytes and attributes.
 */
public final class DecodeMessages extends PTransform<PCollection<PubsubMessage>, PCollectionTuple> {
  public static final String STAGE = "decode";

  /**
   * Added to a dead letter's attributes, so it can be found in Pub/Sub's own logs (from Kafka it
   * holds {@code kafka:<topic>/<partition>/<offset>}).
   */
  public static final String MESSAGE_ID_ATTRIBUTE = "pubsub_message_id";

  public static final TupleTag<InboundMessage> MESSAGES = new TupleTag<>("messages") {};
  public static final TupleTag<Failure> FAILURES = new TupleTag<>("decode-failures") {};

  private final MessageDecoder decoder;

  public DecodeMessages(MessageDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public PCollectionTuple expand(PCollection<PubsubMessage> messages) {
    PCollectionTuple decoded =
        messages.apply(
            "Decode",
            ParDo.of(new DecodeFn(decoder)).withOutputTags(MESSAGES, TupleTagList.of(FAILURES)));
    // set, not inferred: a tagged output's coder comes from the plain registry (SerializableCoder
    // here), and Flink then refuses to union these failures with other stages' schema-coded ones
    decoded.get(MESSAGES).setCoder(SchemaCoders.of(InboundMessage.class));
    decoded.get(FAILURES).setCoder(SchemaCoders.of(Failure.class));
    return decoded;
  }

  private static final Duration LOG_FALLBACK_EVERY = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(DecodeMessages.class);

  /**
   * A message without the uid attribute gets its Pub/Sub message id as uid: it is still scored, but
   * a republished copy has a new id and is not deduplicated, and the row no longer joins the
   * publisher's uid. Such messages are counted ({@code uid_from_message_id}) and logged at most
   * once a minute per DoFn instance, so a publisher that forgets the attribute is visible.
   *
   * <p>On Dataflow, as far as Beam's code goes, the attribute reaches this DoFn as it does on the
   * DirectRunner: for a read with attributes, DataflowRunner (2.73) replaces PubsubIO by the
   * service's native source, hands the id attribute to the service only as {@code pubsub_id_label}
   * (for its own deduplication) and asks for whole messages ({@code
   * pubsub_serialized_attributes_fn}); the worker's {@code PubsubReader} then builds each
   * PubsubMessage from the delivered protobuf's complete attribute map and message id. Nothing in
   * Beam's code removes the id attribute; the service itself is not open code, which is one more
   * reason to count the fallback rather than assume it never happens.
   */
  private static final class DecodeFn extends DoFn<PubsubMessage, InboundMessage> {
    private final Counter received = Metrics.counter(DecodeMessages.class, "messages_in");
    private final Counter uidFromMessageId =
        Metrics.counter(DecodeMessages.class, "uid_from_message_id");
    // an invalid group value (empty, too long, not UTF-8) is scored by the global model: counted so
    // a publisher sending bad groups is visible
    private final Counter groupInvalid = Metrics.counter(DecodeMessages.class, "group_invalid");
    private final MessageDecoder decoder;
    private transient long fallbacksNotLogged;
    private transient long lastLogNanos;

    DecodeFn(MessageDecoder decoder) {
      this.decoder = decoder;
    }

    @Setup
    public void setUp() {
      lastLogNanos = System.nanoTime() - LOG_FALLBACK_EVERY.toNanos();
    }

    @FinishBundle
    public void finishBundle() {
      if (fallbacksNotLogged > 0
          && System.nanoTime() - lastLogNanos >= LOG_FALLBACK_EVERY.toNanos()) {
        LOG.warn(
            "{} message(s) had no '{}' attribute: their uid is the Pub/Sub message id, so"
                + " republished copies are not deduplicated (counter uid_from_message_id)",
            fallbacksNotLogged,
            decoder.uidAttribute());
        fallbacksNotLogged = 0;
        lastLogNanos = System.nanoTime();
      }
    }

    @ProcessElement
    public void process(
        @Element PubsubMessage message, @Timestamp Instant publishTime, MultiOutputReceiver out) {
      received.inc();
      MessageDecoder.Decoded decoded =
          decoder.decode(
              message.getPayload(),
              message.getAttributeMap(),
              message.getMessageId(),
              java.time.Instant.ofEpochMilli(publishTime.getMillis()));
      if (decoded.uidFromMessageId()) {
        uidFromMessageId.inc();
        fallbacksNotLogged++;
      }
      if (decoded.groupProblem() != null) {
        groupInvalid.inc();
      }
      if (decoded.ok()) {
        out.get(MESSAGES).output(decoded.message());
      } else {
        Map<String, String> attributes = new HashMap<>(message.getAttributeMap());
        if (message.getMessageId() != null) {
          attributes.put(MESSAGE_ID_ATTRIBUTE, message.getMessageId());
        }
        out.get(FAILURES)
            .output(
                Failure.builder()
                    .setStage(STAGE)
                    .setReason(decoded.failureReason())
                    // an empty message may arrive with no payload at all
                    .setPayload(message.getPayload() == null ? new byte[0] : message.getPayload())
                    .setAttributes(attributes)
                    .setTime(java.time.Instant.now())
                    .build());
      }
    }
  }
}
