package dev.anomalystream.core.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.text.StrictUtf8;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.Locale;

/**
 * Reads one corpus file, line by line, into {@link CorpusRecord}s and {@link RejectedLine}s. A bad
 * line (undecodable bytes, empty or over-long text, unknown label, malformed JSON or CSV) is
 * rejected with its reason and the reading goes on: one bad line never stops a file.
 *
 * <p>Lines are split on raw bytes and each is decoded strictly as UTF-8 on its own, so a wrong
 * encoding costs only the lines it touches.
 */
public final class CorpusParser implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectReader CSV_ROW =
      new CsvMapper().readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY);

  /** Receives what a file yields, in file order. */
  public interface Sink {
    void record(CorpusRecord record);

    void reject(RejectedLine rejected);
  }

  private final int maxChars;
  private final String splitOverride;

  /**
   * @param maxChars the longest text accepted, in characters
   * @param splitOverride the split to give every record, or null to infer it from the file name
   */
  public CorpusParser(int maxChars, String splitOverride) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be at least 1, was " + maxChars);
    }
    this.maxChars = maxChars;
    this.splitOverride = splitOverride == null || splitOverride.isBlank() ? null : splitOverride;
  }

  /**
   * Parses {@code in} (already decompressed).
   *
   * @param source the file's name or URI, used for the split, the format and in rejects
   * @param format the format, or null to detect it from the name and the first line
   */
  public void parse(String source, InputStream in, DatasetFormat format, Sink sink)
      throws IOException {
    String split = splitOverride != null ? splitOverride : splitFromFileName(source);
    LineReader lines = new LineReader(in);
    byte[] first = lines.next();
    if (first == null) {
      return;
    }
    DatasetFormat effective =
        format != null
            ? format
            : DatasetFormat.detect(source, StrictUtf8.decodeOrNull(stripBom(first)));
    long lineNumber = 1;
    String[] csvHeader = null;
    for (byte[] raw = stripBom(first); raw != null; raw = lines.next(), lineNumber++) {
      if (effective == DatasetFormat.CSV) {
        long startLine = lineNumber;
        // a quoted field may hold line breaks: keep reading until the quotes balance
        while (quotesOpen(raw)) {
          byte[] more = lines.next();
          if (more == null) {
            break;
          }
          lineNumber++;
          raw = join(raw, more);
        }
        if (csvHeader == null) {
          csvHeader = parseCsvHeader(source, raw);
          continue;
        }
        parseLine(source, startLine, split, raw, effective, csvHeader, sink);
      } else {
        parseLine(source, lineNumber, split, raw, effective, null, sink);
      }
    }
  }

  private void parseLine(
      String source,
      long lineNumber,
      String split,
      byte[] raw,
      DatasetFormat format,
      String[] csvHeader,
      Sink sink) {
    String line = StrictUtf8.decodeOrNull(raw);
    if (line == null) {
      sink.reject(new RejectedLine(source, lineNumber, "not valid UTF-8", raw));
      return;
    }
    if (line.isBlank() && format != DatasetFormat.CSV) {
      sink.reject(new RejectedLine(source, lineNumber, "empty line", raw));
      return;
    }
    String text;
    String labelValue;
    try {
      switch (format) {
        case EMOTION_TXT -> {
          int separator = line.lastIndexOf(';');
          if (separator < 0) {
            sink.reject(new RejectedLine(source, lineNumber, "no ';label' at the end", raw));
            return;
          }
          text = line.substring(0, separator);
          labelValue = line.substring(separator + 1);
        }
        case JSONL -> {
          JsonNode node = Json.MAPPER.readTree(line);
          if (node == null || !node.isObject()) {
            sink.reject(new RejectedLine(source, lineNumber, "not a JSON object", raw));
            return;
          }
          JsonNode textNode = node.get("text");
          if (textNode == null || !textNode.isTextual()) {
            sink.reject(new RejectedLine(source, lineNumber, "missing field 'text'", raw));
            return;
          }
          text = textNode.asText();
          JsonNode labelNode = node.get("label");
          labelValue = labelNode == null || labelNode.isNull() ? null : labelNode.asText();
        }
        case CSV -> {
          String[] fields = csvFields(line);
          text = field(csvHeader, fields, "text");
          if (text == null) {
            sink.reject(new RejectedLine(source, lineNumber, "missing column 'text'", raw));
            return;
          }
          labelValue = field(csvHeader, fields, "label");
        }
        default -> {
          text = line;
          labelValue = null;
        }
      }
    } catch (JsonProcessingException e) {
      sink.reject(
          new RejectedLine(
              source,
              lineNumber,
              "malformed " + format.name().toLowerCase(Locale.ROOT) + ": " + e.getOriginalMessage(),
              raw,
              e));
      return;
    } catch (IOException e) {
      sink.reject(
          new RejectedLine(source, lineNumber, "unreadable line: " + e.getMessage(), raw, e));
      return;
    }
    EmotionLabel label = null;
    if (labelValue != null && !labelValue.isBlank()) {
      label = EmotionLabel.parse(labelValue).orElse(null);
      if (label == null) {
        sink.reject(
            new RejectedLine(source, lineNumber, "unknown label '" + labelValue.trim() + "'", raw));
        return;
      }
    }
    text = text.strip();
    if (text.isEmpty()) {
      sink.reject(new RejectedLine(source, lineNumber, "empty text", raw));
      return;
    }
    int length = text.codePointCount(0, text.length());
    if (length > maxChars) {
      sink.reject(
          new RejectedLine(
              source,
              lineNumber,
              "text has " + length + " characters, more than the maximum of " + maxChars,
              raw));
      return;
    }
    sink.record(new CorpusRecord(source, lineNumber, split, text, label));
  }

  private static String[] parseCsvHeader(String source, byte[] raw) throws IOException {
    String line = StrictUtf8.decodeOrNull(raw);
    if (line == null) {
      throw new IOException(source + ": the CSV header is not valid UTF-8");
    }
    String[] header = csvFields(line);
    for (int i = 0; i < header.length; i++) {
      header[i] = header[i].trim().toLowerCase(Locale.ROOT);
    }
    if (java.util.Arrays.asList(header).indexOf("text") < 0) {
      throw new IOException(
          source
              + ": the CSV header has no 'text' column (found "
              + String.join(",", header)
              + ")");
    }
    return header;
  }

  private static String[] csvFields(String row) throws IOException {
    try (MappingIterator<String[]> rows = CSV_ROW.readValues(row)) {
      return rows.hasNext() ? rows.next() : new String[0];
    }
  }

  private static String field(String[] header, String[] fields, String name) {
    for (int i = 0; i < header.length; i++) {
      if (header[i].equals(name)) {
        return i < fields.length ? fields[i] : null;
      }
    }
    return null;
  }

  /**
   * {@code train}, {@code validation} or {@code test} from names like {@code val.txt}, else the
   * stem.
   */
  static String splitFromFileName(String source) {
    String name = source.substring(source.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    String stem = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
    if (stem.startsWith("train")) {
      return "train";
    }
    if (stem.startsWith("val")) {
      return "validation";
    }
    if (stem.startsWith("test")) {
      return "test";
    }
    return stem.isEmpty() ? "unknown" : stem;
  }

  private static boolean quotesOpen(byte[] raw) {
    int quotes = 0;
    for (byte b : raw) {
      if (b == '"') {
        quotes++;
      }
    }
    return quotes % 2 == 1;
  }

  private static byte[] join(byte[] a, byte[] b) {
    byte[] joined = new byte[a.length + 1 + b.length];
    System.arraycopy(a, 0, joined, 0, a.length);
    joined[a.length] = '\n';
    System.arraycopy(b, 0, joined, a.length + 1, b.length);
    return joined;
  }

  private static byte[] stripBom(byte[] line) {
    if (line.length >= 3
        && (line[0] & 0xff) == 0xEF
        && (line[1] & 0xff) == 0xBB
        && (line[2] & 0xff) == 0xBF) {
      return java.util.Arrays.copyOfRange(line, 3, line.length);
    }
    return line;
  }

  /** Splits a stream into lines of raw bytes on LF, dropping a CR before it. */
  private static final class LineReader {
    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    LineReader(InputStream in) {
      this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
    }

    byte[] next() throws IOException {
      line.reset();
      int b;
      while ((b = in.read()) >= 0) {
        if (b == '\n') {
          return trimCarriageReturn(line.toByteArray());
        }
        line.write(b);
      }
      return line.size() == 0 ? null : trimCarriageReturn(line.toByteArray());
    }

    private static byte[] trimCarriageReturn(byte[] bytes) {
      return bytes.length > 0 && bytes[bytes.length - 1] == '\r'
          ? java.util.Arrays.copyOf(bytes, bytes.length - 1)
          : bytes;
    }
  }
}
