package dev.anomalystream.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The small {@code text;label} corpus the ingest end-to-end tests publish, whatever the sink: five
 * good lines (one with non-ASCII text) and two the parser rejects (invalid UTF-8, unknown label).
 */
final class CorpusFixture {
  /** The surprise line's text: non-ASCII, so encodings are checked end to end. */
  static final String SURPRISE = "wow i did not expect that – über";

  private CorpusFixture() {}

  /** Writes the corpus as {@code dir/train.txt}, line by line as raw bytes. */
  static Path write(Path dir) throws IOException {
    Path file = dir.resolve("train.txt");
    List<byte[]> lines = new ArrayList<>();
    lines.add("i feel sad today;sadness".getBytes(StandardCharsets.UTF_8));
    lines.add("i am furious with them;anger".getBytes(StandardCharsets.UTF_8));
    lines.add(new byte[] {'b', 'a', 'd', (byte) 0xFF, ';', 'j', 'o', 'y'});
    lines.add("what a lovely day;joy".getBytes(StandardCharsets.UTF_8));
    lines.add("this label is unknown;boredom".getBytes(StandardCharsets.UTF_8));
    lines.add((SURPRISE + ";surprise").getBytes(StandardCharsets.UTF_8));
    lines.add("im so scared of the dark;fear".getBytes(StandardCharsets.UTF_8));
    try (var out = Files.newOutputStream(file)) {
      for (byte[] line : lines) {
        out.write(line);
        out.write('\n');
      }
    }
    return file;
  }

  /**
   * Runs the ingest pipeline to its end on the bus that {@code busArgs} name, publishing {@code
   * input} to {@code topic}, rejects under {@code dir}.
   */
  static PipelineResult ingest(
      List<String> busArgs, Path dir, String topic, Path input, String... extra)
      throws IOException {
    List<String> args = new ArrayList<>(busArgs);
    args.add("--input=" + input);
    args.add("--topic=" + topic);
    args.add("--rejectsOutput=" + dir.resolve("rejects"));
    args.addAll(List.of(extra));
    IngestOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(IngestOptions.class);
    PipelineResult result = IngestPipeline.run(options);
    result.waitUntilFinish();
    return result;
  }
}
