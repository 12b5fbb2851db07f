package dev.anomalystream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.dataset.DatasetFormat;
import dev.anomalystream.core.dataset.EmotionLabel;
import dev.anomalystream.core.dataset.MessageSelection;
import dev.anomalystream.core.options.MessageBus;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The ingest flags as Beam parses them, in the spellings users and the demo pass. */
class IngestOptionsTest {
  private static IngestOptions parse(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(IngestOptions.class);
  }

  @Test
  void theFormatIsAnEnumWhoseAutoMeansDetectPerFile() {
    assertEquals(
        DatasetFormat.EMOTION_TXT,
        parse("--input=a", "--topic=t", "--format=emotion-txt").getFormat());
    assertEquals(
        DatasetFormat.JSONL, parse("--input=a", "--topic=t", "--format=jsonl").getFormat());
    assertNull(parse("--input=a", "--topic=t", "--format=auto").getFormat());
    assertNull(parse("--input=a", "--topic=t").getFormat());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse("--input=a", "--topic=t", "--format=parquet"));
    assertTrue(
        e.getMessage().contains("use auto, emotion_txt, jsonl, csv or lines"), e.getMessage());
  }

  @Test
  void classesAreAListAndAllOrNothingMeansEveryClass() {
    IngestOptions options = parse("--input=a", "--topic=t", "--classes=sadness,anger,5");
    assertEquals(List.of("sadness", "anger", "5"), options.getClasses());
    assertEquals(
        Set.of(EmotionLabel.SADNESS, EmotionLabel.ANGER, EmotionLabel.SURPRISE),
        MessageSelection.parseClasses(options.getClasses()));
    assertEquals(
        Set.of(),
        MessageSelection.parseClasses(
            parse("--input=a", "--topic=t", "--classes=all").getClasses()));
    assertEquals(
        Set.of(), MessageSelection.parseClasses(parse("--input=a", "--topic=t").getClasses()));
  }

  @Test
  void theSinkIsAnEnumThatDefaultsToPubsub() {
    assertEquals(MessageBus.PUBSUB, parse("--input=a", "--topic=t").getSink());
    assertEquals(MessageBus.KAFKA, parse("--input=a", "--topic=t", "--sink=kafka").getSink());
    assertEquals(MessageBus.KAFKA, parse("--input=a", "--topic=t", "--sink=KAFKA").getSink());
    assertEquals(MessageBus.PUBSUB, parse("--input=a", "--topic=t", "--sink=pubsub").getSink());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> parse("--input=a", "--topic=t", "--sink=sqs"));
    assertTrue(e.getMessage().contains("use pubsub or kafka"), e.getMessage());
  }

  @Test
  void kafkaNeedsBootstrapServersAndPubsubDoesNot() {
    IngestPipeline.validate(parse("--input=a", "--topic=t"));
    IngestPipeline.validate(
        parse("--input=a", "--topic=t", "--sink=kafka", "--bootstrapServers=127.0.0.1:9092"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> IngestPipeline.validate(parse("--input=a", "--topic=t", "--sink=kafka")));
    assertTrue(e.getMessage().contains("--bootstrapServers"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            IngestPipeline.validate(
                parse("--input=a", "--topic=t", "--sink=kafka", "--bootstrapServers= ")));
  }
}
