package dev.anomalystream.detect;

import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.detection.MessageDecoder;
import dev.anomalystream.core.failure.Failure;
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

/**
 * Pub/Sub messages to {@link InboundMessage}s by the rules of {@link MessageDecoder}; a message
 * that breaks them (empty, undecodable, oversized, no uid, bad event_time) goes to {@link
 * #FAILURES} with the reason and its original bytes and attributes.
 */
public final class DecodeMessages extends PTransform<PCollection<PubsubMessage>, PCollectionTuple> {
  public static final String STAGE = "decode";

  /** Added to a dead letter's attributes, so it can be found in Pub/Sub's own logs. */
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
    // no coders set: InboundMessage and Failure are schema types, their SchemaCoders are inferred
    return decoded;
  }

  private static final class DecodeFn extends DoFn<PubsubMessage, InboundMessage> {
    private final Counter received = Metrics.counter(DecodeMessages.class, "messages_in");
    private final MessageDecoder decoder;

    DecodeFn(MessageDecoder decoder) {
      this.decoder = decoder;
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
