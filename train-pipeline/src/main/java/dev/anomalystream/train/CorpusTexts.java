package dev.anomalystream.train;

import dev.anomalystream.core.dataset.CorpusParser;
import dev.anomalystream.core.dataset.CorpusRecord;
import dev.anomalystream.core.dataset.EmotionLabel;
import dev.anomalystream.core.dataset.RejectedLine;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * The texts of one corpus file in any format the dataset reader knows (one text per line, {@code
 * text;label}, JSON lines, CSV; compressed by suffix), local or on GCS, optionally only some
 * classes. Public for the benchmarks' measurements on the same files.
 *
 * @param source the file read
 * @param texts the texts kept, in file order
 * @param labels each text's class name, null for an unlabelled one, in the same order
 * @param rejected how many lines could not be read as a message
 * @param firstRejection the first rejected line's place and reason, or null
 */
public record CorpusTexts(
    String source, List<String> texts, List<String> labels, long rejected, String firstRejection) {
  /** Longest text read, in characters; as the ingest pipeline's default. */
  static final int MAX_CHARS = 5000;

  /**
   * @param classes the labels to keep; empty keeps every record, labelled or not
   * @throws FileNotFoundException naming the file when it does not exist
   */
  public static CorpusTexts read(String file, Set<EmotionLabel> classes) throws IOException {
    String spec = file.contains("://") ? file : Paths.get(file).toAbsolutePath().toString();
    MatchResult match = FileSystems.match(spec);
    if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
      throw new FileNotFoundException("no such file: " + file);
    }
    ResourceId resource = match.metadata().get(0).resourceId();
    List<String> texts = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    long[] rejected = {0};
    String[] firstRejection = {null};
    try (InputStream in =
        Channels.newInputStream(
            Compression.detect(resource.getFilename())
                .readDecompressed(FileSystems.open(resource)))) {
      new CorpusParser(MAX_CHARS, null)
          .parse(
              file,
              in,
              null,
              new CorpusParser.Sink() {
                @Override
                public void record(CorpusRecord record) {
                  if (classes.isEmpty()
                      || (record.label() != null && classes.contains(record.label()))) {
                    texts.add(record.text());
                    labels.add(record.label() == null ? null : record.label().label());
                  }
                }

                @Override
                public void reject(RejectedLine line) {
                  if (rejected[0]++ == 0) {
                    firstRejection[0] = "line " + line.lineNumber() + ": " + line.reason();
                  }
                }
              });
    }
    return new CorpusTexts(
        file,
        List.copyOf(texts),
        Collections.unmodifiableList(labels),
        rejected[0],
        firstRejection[0]);
  }

  /**
   * Each labelled text's class name; a text the corpus lists under two classes keeps the first (the
   * emotion corpus has 30 such texts in 16,000).
   */
  public Map<String, String> labelByText() {
    Map<String, String> byText = new HashMap<>();
    for (int i = 0; i < texts.size(); i++) {
      if (labels.get(i) != null) {
        byText.putIfAbsent(texts.get(i), labels.get(i));
      }
    }
    return byText;
  }

  /** One line for the console: how many texts, and what was rejected. */
  String describe() {
    String summary = source + ": " + texts.size() + " texts";
    return rejected == 0
        ? summary
        : summary + ", " + rejected + " lines rejected (first: " + firstRejection + ")";
  }
}
