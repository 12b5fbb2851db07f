package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.detection.MessageDecoder;
import dev.anomalystream.core.failure.Failure;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** A Kafka record to the detector's message envelope, or to a dead letter with its reason. */
class KafkaRecordMessagesTest {
  private static final byte[] NOT_UTF8 = {(byte) 0xC3, 0x28};
  private final KafkaRecordMessages converter = new KafkaRecordMessages("uid");

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static KafkaRecord<byte[], byte[]> record(
      byte[] key, byte[] value, RecordHeaders headers) {
    return new KafkaRecord<>(
        "tweets", 3, 42L, 1_700_000_000_000L, KafkaTimestampType.CREATE_TIME, headers, key, value);
  }

  private static RecordHeaders headers(String... keysAndValues) {
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      headers.add(keysAndValues[i], utf8(keysAndValues[i + 1]));
    }
    return headers;
  }

  @Test
  void aRecordBecomesAMessageWithItsHeadersTheKeyAsUidAndAStableId() {
    RecordHeaders headers =
        headers("label", "joy", "split", "test", "event_time", "2026-11-30T05:00:00Z");
    headers.add("uid", utf8("not-the-key")); // the key wins
    headers.add("empty", null); // a header without a value carries nothing

    KafkaRecordMessages.Converted converted =
        converter.convert(record(utf8("u-1"), utf8("what a lovely day"), headers));

    assertTrue(converted.ok());
    PubsubMessage message = converted.message();
    assertArrayEquals(utf8("what a lovely day"), message.getPayload());
    assertEquals(
        Map.of("uid", "u-1", "label", "joy", "split", "test", "event_time", "2026-11-30T05:00:00Z"),
        message.getAttributeMap());
    assertEquals("kafka:tweets/3/42", message.getMessageId());
  }

  @Test
  void theUidAttributeIsNamedByTheOption() {
    PubsubMessage message =
        new KafkaRecordMessages("message_uid")
            .convert(record(utf8("u-2"), utf8("hello"), headers()))
            .message();
    assertEquals(Map.of("message_uid", "u-2"), message.getAttributeMap());
  }

  @Test
  void anEmptyValueIsLeftToTheDecodeRules() {
    // DecodeMessages refuses it as "empty payload", the same reason as on Pub/Sub
    assertTrue(converter.convert(record(utf8("u-3"), new byte[0], headers())).ok());
  }

  private Failure refused(KafkaRecord<byte[], byte[]> record) {
    KafkaRecordMessages.Converted converted = converter.convert(record);
    assertFalse(converted.ok());
    assertNull(converted.message());
    Failure failure = converted.failure();
    assertEquals(KafkaRecordMessages.STAGE, failure.getStage());
    assertEquals(
        Map.of("kafka_topic", "tweets", "kafka_partition", "3", "kafka_offset", "42"),
        failure.getAttributes());
    return failure;
  }

  @Test
  void aRecordWithoutAKeyHasNoUid() {
    Failure failure = refused(record(null, utf8("no key"), headers()));
    assertEquals("record has no key (the uid)", failure.getReason());
    assertArrayEquals(utf8("no key"), failure.getPayload());
    assertEquals(
        "record has no key (the uid)",
        refused(record(new byte[0], utf8("empty key"), headers())).getReason());
  }

  @Test
  void aKeyThatIsNotUtf8IsRefused() {
    assertEquals(
        "key (the uid) is not valid UTF-8",
        refused(record(NOT_UTF8, utf8("x"), headers())).getReason());
  }

  @Test
  void aTombstoneHasNoText() {
    Failure failure = refused(record(utf8("u-4"), null, headers()));
    assertEquals("record has no value (a tombstone)", failure.getReason());
    assertArrayEquals(new byte[0], failure.getPayload());
  }

  @Test
  void aHeaderThatIsNotUtf8IsRefusedByName() {
    RecordHeaders headers = headers("label", "joy");
    headers.add("event_time", NOT_UTF8);
    Failure failure = refused(record(utf8("u-5"), utf8("some text"), headers));
    assertEquals("header 'event_time' is not valid UTF-8", failure.getReason());
    assertArrayEquals(utf8("some text"), failure.getPayload(), "the value kept as received");
  }

  @Test
  void aGroupHeaderThatIsNotUtf8OnlyMarksTheMessageForTheGlobalModel() {
    RecordHeaders headers = headers("label", "joy");
    headers.add("channel", NOT_UTF8);
    KafkaRecordMessages.Converted converted =
        new KafkaRecordMessages("uid", "channel")
            .convert(record(utf8("u-6"), utf8("hello"), headers));
    assertTrue(converted.ok(), "the record is scored, by the global model");
    assertEquals(
        Map.of("uid", "u-6", "label", "joy", MessageDecoder.GROUP_NOT_UTF8_ATTRIBUTE, "channel"),
        converted.message().getAttributeMap());
    MessageDecoder.Decoded decoded =
        new MessageDecoder("uid", 100)
            .withGroupAttribute("channel")
            .decode(
                converted.message().getPayload(),
                converted.message().getAttributeMap(),
                converted.message().getMessageId(),
                null);
    assertNull(decoded.message().getGroup());
    assertEquals("group is not valid UTF-8", decoded.groupProblem());

    RecordHeaders valid = headers("channel", "sport");
    assertEquals(
        "sport",
        new KafkaRecordMessages("uid", "channel")
            .convert(record(utf8("u-7"), utf8("hello"), valid))
            .message()
            .getAttribute("channel"));
    RecordHeaders otherBad = headers();
    otherBad.add("label", NOT_UTF8);
    assertFalse(
        new KafkaRecordMessages("uid", "channel")
            .convert(record(utf8("u-8"), utf8("hello"), otherBad))
            .ok(),
        "any other header that is not UTF-8 is still refused");
  }
}
