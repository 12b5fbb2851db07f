package dev.anomalystream.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.failure.Failure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorpusParserTest {

  /** Collects what a parse yields. */
  static final class Collected implements CorpusParser.Sink {
    final List<CorpusRecord> records = new ArrayList<>();
    final List<RejectedLine> rejects = new ArrayList<>();

    @Override
    public void record(CorpusRecord record) {
      records.add(record);
    }

    @Override
    public void reject(RejectedLine rejected) {
      rejects.add(rejected);
    }
  }

  private static Collected parse(String source, byte[] content, DatasetFormat format, int maxChars)
      throws IOException {
    Collected out = new Collected();
    new CorpusParser(maxChars, null).parse(source, new ByteArrayInputStream(content), format, out);
    return out;
  }

  private static Collected parse(String source, String content) throws IOException {
    return parse(source, content.getBytes(StandardCharsets.UTF_8), null, 1000);
  }

  @Test
  void readsTheOriginalTextSemicolonLabelFormat() throws IOException {
    Collected out =
        parse("data/train.txt", "i feel great;joy\r\ni didnt feel humiliated;sadness\n");
    assertEquals(2, out.records.size());
    CorpusRecord first = out.records.get(0);
    assertEquals("i feel great", first.text());
    assertEquals(EmotionLabel.JOY, first.label());
    assertEquals("train", first.split());
    assertEquals(1, first.lineNumber());
    assertEquals(EmotionLabel.SADNESS, out.records.get(1).label());
    assertEquals(2, out.records.get(1).lineNumber());
    assertTrue(out.rejects.isEmpty());
  }

  @Test
  void readsHuggingFaceJsonLinesWithLabelIds() throws IOException {
    Collected out =
        parse(
            "validation.jsonl",
            "{\"text\":\"i am so scared\",\"label\":4}\n"
                + "{\"text\":\"what a surprise\",\"label\":\"surprise\"}\n");
    assertEquals(
        List.of(EmotionLabel.FEAR, EmotionLabel.SURPRISE),
        out.records.stream().map(CorpusRecord::label).toList());
    assertEquals("validation", out.records.get(0).split());
  }

  @Test
  void readsCsvWithQuotedFieldsAndAnyColumnOrder() throws IOException {
    Collected out =
        parse(
            "test.csv",
            "label,text\n3,\"i am angry, really\"\n1,\"a line\nbroken in two\"\n0,plain text\n");
    assertEquals(3, out.records.size());
    assertEquals("i am angry, really", out.records.get(0).text());
    assertEquals(EmotionLabel.ANGER, out.records.get(0).label());
    assertEquals("a line\nbroken in two", out.records.get(1).text());
    assertEquals(3, out.records.get(1).lineNumber());
    assertEquals(5, out.records.get(2).lineNumber());
    assertEquals("test", out.records.get(0).split());
  }

  @Test
  void readsOneTextPerLineWithoutLabels() throws IOException {
    Collected out = parse("questions.txt", "what is the capital of peru\nhow tall is everest\n");
    assertEquals(2, out.records.size());
    assertNull(out.records.get(0).label());
    assertEquals("questions", out.records.get(0).split());
  }

  @Test
  void rejectsBadLinesWithReasonsAndKeepsReading() throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes("good line;joy\n".getBytes(StandardCharsets.UTF_8));
    file.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, ';', 'j', 'o', 'y', '\n'});
    file.writeBytes(";sadness\n".getBytes(StandardCharsets.UTF_8));
    file.writeBytes("some text;boredom\n".getBytes(StandardCharsets.UTF_8));
    file.writeBytes("no label at all\n".getBytes(StandardCharsets.UTF_8));
    file.writeBytes(("x".repeat(21) + ";fear\n").getBytes(StandardCharsets.UTF_8));
    file.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
    file.writeBytes("last good one;love\n".getBytes(StandardCharsets.UTF_8));

    Collected out = parse("train.txt", file.toByteArray(), DatasetFormat.EMOTION_TXT, 20);

    assertEquals(
        List.of("good line", "last good one"),
        out.records.stream().map(CorpusRecord::text).toList());
    assertEquals(8, out.records.get(1).lineNumber());
    List<String> reasons =
        out.rejects.stream().map(r -> r.lineNumber() + ":" + r.reason()).toList();
    assertEquals(
        List.of(
            "2:not valid UTF-8",
            "3:empty text",
            "4:unknown label 'boredom'",
            "5:no ';label' at the end",
            "6:text has 21 characters, more than the maximum of 20",
            "7:empty line"),
        reasons);
    // the original bytes travel with the reject, undecodable ones included
    assertEquals(0xC3, out.rejects.get(0).raw()[0] & 0xff);
    assertEquals(
        "train.txt",
        out.rejects.get(0).toFailure(java.time.Instant.EPOCH).getAttributes().get("source"));
  }

  @Test
  void rejectsMalformedJsonAndMissingText() throws IOException {
    Collected out =
        parse(
            "x.jsonl",
            "{\"text\": \"ok\", \"label\": 1}\n"
                + "{not json\n"
                + "{\"label\": 1}\n"
                + "[1,2]\n"
                + "{\"text\":\"bad label\",\"label\":9}\n");
    assertEquals(1, out.records.size());
    assertEquals(4, out.rejects.size());
    assertTrue(
        out.rejects.get(0).reason().startsWith("malformed jsonl"), out.rejects.get(0).reason());
    assertEquals("missing field 'text'", out.rejects.get(1).reason());
    assertEquals("not a JSON object", out.rejects.get(2).reason());
    assertEquals("unknown label '9'", out.rejects.get(3).reason());
    // the parser's exception travels to the dead letter; a rule's refusal has none
    Failure malformed = out.rejects.get(0).toFailure(java.time.Instant.EPOCH);
    assertTrue(malformed.getExceptionClass().startsWith("com.fasterxml.jackson"));
    assertNull(out.rejects.get(1).toFailure(java.time.Instant.EPOCH).getExceptionClass());
  }

  @Test
  void csvWithoutTextColumnIsAClearError() {
    IOException e =
        assertThrows(IOException.class, () -> parse("bad.csv", "label,body\n1,hello\n"));
    assertTrue(e.getMessage().contains("no 'text' column"), e.getMessage());
  }

  @Test
  void stripsAByteOrderMarkAndCountsCharactersNotBytes() throws IOException {
    Collected out =
        parse("t.txt", ("\uFEFF" + "über straße;joy\n").getBytes(StandardCharsets.UTF_8), null, 11);
    assertEquals(1, out.records.size(), () -> out.rejects.toString());
    assertEquals("über straße", out.records.get(0).text());
  }

  @Test
  void splitComesFromTheFileNameUnlessGiven() throws IOException {
    assertEquals("validation", CorpusParser.splitFromFileName("gs://bucket/emotion/val.txt"));
    assertEquals("train", CorpusParser.splitFromFileName("/x/train-00000-of-00001.jsonl.gz"));
    Collected out = new Collected();
    new CorpusParser(100, "holdout")
        .parse(
            "train.txt",
            new ByteArrayInputStream("a;joy\n".getBytes(StandardCharsets.UTF_8)),
            null,
            out);
    assertEquals("holdout", out.records.get(0).split());
  }
}
