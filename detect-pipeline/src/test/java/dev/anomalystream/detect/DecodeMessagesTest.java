package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.anomalystream.core.beam.MetricCounts;
import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.detection.MessageDecoder;
import dev.anomalystream.core.failure.Failure;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessageWithAttributesAndMessageIdCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DecodeMessages on an unbounded stream: good messages become InboundMessages stamped with their
 * publish time, and every message the decode rules refuse comes out as a dead letter of stage
 * "decode" with its reason, its original bytes and attributes, and Pub/Sub's message id.
 */
@ExtendWith(TestPipelineExtension.class)
class DecodeMessagesTest {
  private static final int MAX_CHARS = 10;
  private static final Instant PUBLISHED = Instant.parse("2026-11-23T09:00:00Z");
  private static final byte[] NOT_UTF8 = {(byte) 0xC3, 0x28};

  /** One Pub/Sub message as the source delivers it (a null uid: no uid attribute). */
  private static PubsubMessage message(byte[] payload, String uid, String messageId) {
    Map<String, String> attributes = new HashMap<>();
    if (uid != null) {
      attributes.put("uid", uid);
    }
    attributes.put("label", "joy");
    return new PubsubMessage(payload, attributes, messageId);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void goodMessagesAreDecodedAndEachRefusedOneIsADeadLetterWithItsReason(TestPipeline pipeline) {
    List<PubsubMessage> messages =
        List.of(
            message(utf8("  hello  "), "good-1", "m-1"),
            message(utf8("no uid"), null, "m-2"),
            message(new byte[0], "empty", "m-3"),
            message(utf8("   "), "blank", "m-4"),
            message(NOT_UTF8, "not-utf8", "m-5"),
            message(utf8("x".repeat(MAX_CHARS + 1)), "too-long", "m-6"),
            // the coder cannot carry a null message id; a blank one is as good as none
            message(utf8("orphan"), null, ""));
    TestStream.Builder<PubsubMessage> stream =
        TestStream.create(PubsubMessageWithAttributesAndMessageIdCoder.of())
            .advanceWatermarkTo(PUBLISHED);
    for (int i = 0; i < messages.size(); i++) {
      stream =
          stream.addElements(
              TimestampedValue.of(messages.get(i), PUBLISHED.plus(Duration.standardSeconds(i))));
    }

    PCollectionTuple decoded =
        pipeline
            .apply(stream.advanceWatermarkToInfinity())
            .apply(new DecodeMessages(new MessageDecoder("uid", MAX_CHARS)));

    PAssert.that(decoded.get(DecodeMessages.MESSAGES))
        .inWindow(GlobalWindow.INSTANCE)
        .satisfies(
            output -> {
              Map<String, InboundMessage> byUid = byKey(output, InboundMessage::getUid);
              assertEquals(List.of("good-1", "m-2"), byUid.keySet().stream().sorted().toList());
              InboundMessage good = byUid.get("good-1");
              assertEquals("hello", good.getText(), "stripped");
              assertEquals("joy", good.getLabel());
              assertNull(good.getEventTime(), "no event_time attribute");
              // the element timestamp the Pub/Sub source gives is the publish time
              assertEquals(java.time.Instant.parse("2026-11-23T09:00:00Z"), good.getPublishTime());
              assertEquals(
                  "no uid", byUid.get("m-2").getText(), "the message id stands in for uid");
              return null;
            });
    PAssert.that(decoded.get(DecodeMessages.FAILURES))
        .satisfies(
            output -> {
              Map<String, Failure> byMessageId =
                  byKey(output, f -> f.getAttributes().get(DecodeMessages.MESSAGE_ID_ATTRIBUTE));
              assertEquals(
                  Map.of(
                      "m-3", "empty payload",
                      "m-4", "empty text",
                      "m-5", "payload is not valid UTF-8",
                      "m-6", "text has 11 characters, more than the maximum of 10",
                      "", "no 'uid' attribute and no Pub/Sub message id"),
                  byMessageId.entrySet().stream()
                      .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getReason())));
              byMessageId
                  .values()
                  .forEach(f -> assertEquals(DecodeMessages.STAGE, f.getStage(), f.toString()));
              Failure notUtf8 = byMessageId.get("m-5");
              assertArrayEquals(
                  NOT_UTF8, notUtf8.getPayload(), "the original bytes, not a decoding");
              assertEquals("not-utf8", notUtf8.getAttributes().get("uid"));
              assertEquals("joy", notUtf8.getAttributes().get("label"));
              return null;
            });

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(
        messages.size(),
        MetricCounts.attempted(result, DecodeMessages.class, "messages_in"),
        "every message counted on the way in");
    assertEquals(
        1,
        MetricCounts.attempted(result, DecodeMessages.class, "uid_from_message_id"),
        "m-2 fell back to its message id; the orphan had none to fall back to");
  }

  private static <T> Map<String, T> byKey(Iterable<T> items, Function<T, String> key) {
    return StreamSupport.stream(items.spliterator(), false)
        .collect(Collectors.toMap(key, Function.identity()));
  }
}
