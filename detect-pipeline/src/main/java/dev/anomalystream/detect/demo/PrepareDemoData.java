package dev.anomalystream.detect.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.dataset.CorpusParser;
import dev.anomalystream.core.dataset.CorpusRecord;
import dev.anomalystream.core.dataset.RejectedLine;
import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.options.DeprecatedFlags;
import dev.anomalystream.core.options.OptionValues;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * Writes the demo's data: {@code train.jsonl} to fit the model on, and under {@code stream/} the
 * messages to replay: {@code normal.jsonl} (held-out normal messages) and {@code offtopic.jsonl}
 * (the project's off-topic texts). The file names become the messages' split, so a row's uid says
 * whether it was an anomaly on purpose ({@code offtopic-...}).
 *
 * <p>{@code --dataset=FILE} takes the normal messages from a corpus file (e.g. the emotion train
 * split) instead of the made-up tweets; a seeded share is held out of training for the stream.
 *
 * <pre>
 * PrepareDemoData --outputDirectory=DIR [--dataset=FILE] [--heldOutShare=0.1] [--train=600]
 *   [--normal=300] [--offTopic=24] [--demoSeed=7]
 * </pre>
 */
public final class PrepareDemoData {
  /** The options of the demo's data step. */
  public interface PrepareDemoDataOptions extends PipelineOptions {
    @Description("Directory the demo data is written to")
    @Validation.Required
    String getOutputDirectory();

    void setOutputDirectory(String value);

    @Description("Corpus file to take the normal messages from; default: made-up tweets")
    String getDataset();

    void setDataset(String value);

    @Description("Made-up tweets to train on (without --dataset)")
    @Default.Integer(600)
    int getTrain();

    void setTrain(int value);

    @Description("Normal messages to stream")
    @Default.Integer(300)
    int getNormal();

    void setNormal(int value);

    @Description("Off-topic messages to stream; default: every off-topic text the project has")
    @Default.InstanceFactory(AllOffTopicTexts.class)
    int getOffTopic();

    void setOffTopic(int value);

    @Description("With --dataset: the largest share of it held out to stream (at most --normal)")
    @Default.Double(0.1)
    double getHeldOutShare();

    void setHeldOutShare(double value);

    @Description("Seed of the made-up tweets, the off-topic order and the --dataset shuffle")
    @Default.Long(7)
    long getDemoSeed();

    void setDemoSeed(long value);

    final class AllOffTopicTexts implements DefaultValueFactory<Integer> {
      @Override
      public Integer create(PipelineOptions options) {
        return SyntheticCorpus.offTopicCount();
      }
    }
  }

  /**
   * {@code --seed} is the training seed elsewhere (default 42); the demo's own seed has its own
   * name so that one spelling never has two defaults.
   */
  static final DeprecatedFlags DEPRECATED_FLAGS =
      new DeprecatedFlags("PrepareDemoData", Map.of("seed", "demoSeed"));

  private PrepareDemoData() {}

  public static void main(String[] args) throws IOException {
    PipelineOptionsFactory.register(PrepareDemoDataOptions.class);
    PrepareDemoDataOptions options =
        PipelineOptionsFactory.fromArgs(DEPRECATED_FLAGS.rewrite(args, System.err))
            .withValidation()
            .as(PrepareDemoDataOptions.class);
    Path out = Path.of(options.getOutputDirectory());
    int trainCount = options.getTrain();
    int normalCount = options.getNormal();
    int offTopicCount = options.getOffTopic();
    long seed = options.getDemoSeed();

    List<Map.Entry<String, String>> normal = new ArrayList<>();
    String dataset = OptionValues.blankToNull(options.getDataset());
    if (dataset == null) {
      SyntheticCorpus.tweets(trainCount + normalCount, seed)
          .forEach(t -> normal.add(Map.entry(t.text(), t.label().label())));
    } else {
      normal.addAll(readCorpus(Path.of(dataset)));
      Collections.shuffle(normal, new Random(seed));
      int heldOut = (int) Math.min(normalCount, normal.size() * options.getHeldOutShare());
      trainCount = normal.size() - heldOut;
    }
    List<Map.Entry<String, String>> train = normal.subList(0, trainCount);
    List<Map.Entry<String, String>> stream =
        normal.subList(trainCount, Math.min(normal.size(), trainCount + normalCount));

    Files.createDirectories(out.resolve("stream"));
    write(out.resolve("train.jsonl"), train);
    write(out.resolve("stream").resolve("normal.jsonl"), stream);
    write(
        out.resolve("stream").resolve("offtopic.jsonl"),
        SyntheticCorpus.offTopic(offTopicCount, seed).stream().map(t -> Map.entry(t, "")).toList());
    System.out.printf(
        "demo data in %s: %d training messages, %d normal and %d off-topic messages to stream%n",
        out, train.size(), stream.size(), offTopicCount);
  }

  private static List<Map.Entry<String, String>> readCorpus(Path file) throws IOException {
    List<Map.Entry<String, String>> records = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      new CorpusParser(5000, null)
          .parse(
              file.toString(),
              in,
              null,
              new CorpusParser.Sink() {
                @Override
                public void record(CorpusRecord record) {
                  records.add(
                      Map.entry(
                          record.text(), record.label() == null ? "" : record.label().label()));
                }

                @Override
                public void reject(RejectedLine rejected) {}
              });
    }
    return records;
  }

  private static void write(Path file, List<Map.Entry<String, String>> messages)
      throws IOException {
    Files.write(
        file,
        messages.stream()
            .map(
                m -> {
                  ObjectNode line = Json.MAPPER.createObjectNode().put("text", m.getKey());
                  if (!m.getValue().isEmpty()) {
                    line.put("label", m.getValue());
                  }
                  return line.toString();
                })
            .collect(Collectors.toList()));
  }
}
