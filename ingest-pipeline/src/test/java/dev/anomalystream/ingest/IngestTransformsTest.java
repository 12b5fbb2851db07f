package dev.anomalystream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.dataset.CorpusParser;
import dev.anomalystream.core.dataset.CorpusRecord;
import dev.anomalystream.core.dataset.EmotionLabel;
import dev.anomalystream.core.dataset.MessageSelection;
import dev.anomalystream.core.failure.Failure;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TestPipelineExtension.class)
class IngestTransformsTest {
  @TempDir Path dir;

  private Path writeFixtures() throws IOException {
    Files.writeString(
        dir.resolve("train.txt"),
        "i feel sad today;sadness\n"
            + "i am furious;anger\n"
            + "what a lovely day;joy\n"
            + "bad label here;boredom\n"
            + ";surprise\n"
            + "wow i did not expect that;surprise\n");
    try (OutputStream gz =
        new GZIPOutputStream(Files.newOutputStream(dir.resolve("validation.jsonl.gz")))) {
      gz.write(
          ("{\"text\":\"so angry right now\",\"label\":3}\n{\"label\":3}\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    return dir;
  }

  @Test
  void readsEveryFileOfAGlobAndRoutesBadLinesToRejects(TestPipeline pipeline) throws IOException {
    writeFixtures();
    PCollectionTuple read =
        pipeline.apply(new ReadCorpus(dir + "/*", new CorpusParser(1000, null), null));

    PAssert.that(
            read.get(ReadCorpus.RECORDS)
                .apply(
                    "Texts",
                    MapElements.into(TypeDescriptors.strings())
                        .via(r -> r.split() + ":" + r.text())))
        .containsInAnyOrder(
            "train:i feel sad today",
            "train:i am furious",
            "train:what a lovely day",
            "train:wow i did not expect that",
            "validation:so angry right now");
    PAssert.that(
            read.get(ReadCorpus.REJECTS)
                .apply(
                    "Reasons",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            f ->
                                fileName(f)
                                    + ":"
                                    + f.getAttributes().get("line")
                                    + ":"
                                    + f.getReason())))
        .containsInAnyOrder(
            "train.txt:4:unknown label 'boredom'",
            "train.txt:5:empty text",
            "validation.jsonl.gz:2:missing field 'text'");
    pipeline.run().waitUntilFinish();
  }

  @Test
  void selectsClassesThenLimitsInFileOrder(TestPipeline pipeline) throws IOException {
    writeFixtures();
    PCollection<CorpusRecord> selected =
        pipeline
            .apply(
                new ReadCorpus(
                    dir.resolve("train.txt").toString(), new CorpusParser(1000, null), null))
            .get(ReadCorpus.RECORDS)
            .apply(
                new SelectMessages(
                    new MessageSelection(
                        Set.of(EmotionLabel.SADNESS, EmotionLabel.ANGER, EmotionLabel.SURPRISE),
                        1.0,
                        1),
                    2));
    PAssert.that(
            selected.apply(MapElements.into(TypeDescriptors.longs()).via(CorpusRecord::lineNumber)))
        .containsInAnyOrder(1L, 2L);
    pipeline.run().waitUntilFinish();
  }

  @Test
  void messagesCarryTextAndAttributes(TestPipeline pipeline) {
    CorpusRecord record =
        new CorpusRecord("train.txt", 7, "train", "i am furious", EmotionLabel.ANGER);
    PCollection<PubsubMessage> messages =
        pipeline
            .apply(
                org.apache.beam.sdk.transforms.Create.of(record)
                    .withCoder(org.apache.beam.sdk.coders.SerializableCoder.of(CorpusRecord.class)))
            .apply(new ToPubsubMessages("msg_uid"));
    PAssert.thatSingleton(messages)
        .satisfies(
            m -> {
              assertEquals("i am furious", new String(m.getPayload(), StandardCharsets.UTF_8));
              assertEquals(record.uid(), m.getAttribute("msg_uid"));
              assertEquals("anger", m.getAttribute("label"));
              assertEquals("train", m.getAttribute("split"));
              Instant eventTime = Instant.parse(m.getAttribute("event_time"));
              assertTrue(eventTime.isAfter(Instant.now().minusSeconds(600)));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void unlabelledRecordsHaveNoLabelAttribute() {
    PubsubMessage m =
        CorpusMessages.toMessage(
            new CorpusRecord("q.txt", 1, "q", "what is love", null), "uid", Instant.EPOCH);
    assertEquals(Set.of("uid", "split", "event_time"), m.getAttributeMap().keySet());
    assertEquals("1970-01-01T00:00:00Z", m.getAttribute("event_time"));
  }

  @Test
  void theGroupAttributeComesFromAColumnOrAConstantAndTravelsAsAKafkaHeader(TestPipeline pipeline) {
    CorpusRecord angry =
        new CorpusRecord("train.txt", 7, "train", "i am furious", EmotionLabel.ANGER);
    CorpusRecord unlabelled = new CorpusRecord("q.txt", 1, "q", "what is love", null);
    MessageGroup byLabel = new MessageGroup("channel", MessageGroup.LABEL_COLUMN, null);
    assertEquals(
        "anger",
        CorpusMessages.toMessage(angry, "uid", Instant.EPOCH, byLabel).getAttribute("channel"));
    assertEquals(
        Set.of("uid", "split", "event_time"),
        CorpusMessages.toMessage(unlabelled, "uid", Instant.EPOCH, byLabel)
            .getAttributeMap()
            .keySet(),
        "an unlabelled record has no group: the detector scores it with the global model");
    assertEquals(
        "q",
        CorpusMessages.toMessage(
                unlabelled, "uid", Instant.EPOCH, new MessageGroup("channel", "split", null))
            .getAttribute("channel"));
    PubsubMessage constant =
        CorpusMessages.toMessage(
            unlabelled, "uid", Instant.EPOCH, new MessageGroup("channel", null, "web"));
    assertEquals("web", constant.getAttribute("channel"));
    ProducerRecord<String, String> record = CorpusMessages.toKafkaRecord(constant, "tweets", "uid");
    assertEquals(
        "web", new String(record.headers().lastHeader("channel").value(), StandardCharsets.UTF_8));

    PCollection<PubsubMessage> messages =
        pipeline
            .apply(
                org.apache.beam.sdk.transforms.Create.of(angry)
                    .withCoder(org.apache.beam.sdk.coders.SerializableCoder.of(CorpusRecord.class)))
            .apply(new ToPubsubMessages("uid", byLabel));
    PAssert.thatSingleton(messages)
        .satisfies(
            m -> {
              assertEquals("anger", m.getAttribute("channel"));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aGroupAttributeNeedsExactlyOneSourceAndAValidConstant() {
    assertThrows(IllegalArgumentException.class, () -> new MessageGroup("channel", null, null));
    assertThrows(IllegalArgumentException.class, () -> new MessageGroup("channel", "label", "web"));
    assertThrows(IllegalArgumentException.class, () -> new MessageGroup(null, "label", null));
    assertThrows(IllegalArgumentException.class, () -> new MessageGroup("channel", "text", null));
    assertThrows(IllegalArgumentException.class, () -> new MessageGroup("channel", null, ""));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MessageGroup("channel", null, "x".repeat(129)),
        "a value the detector would refuse as a group");
  }

  private static String fileName(Failure f) {
    String source = f.getAttributes().get("source");
    return source.substring(source.lastIndexOf('/') + 1);
  }
}
