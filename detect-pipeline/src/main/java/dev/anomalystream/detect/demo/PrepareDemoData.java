package dev.anomalystream.detect.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.cli.CommandLine;
import dev.anomalystream.core.dataset.CorpusParser;
import dev.anomalystream.core.dataset.CorpusRecord;
import dev.anomalystream.core.dataset.RejectedLine;
import dev.anomalystream.core.dataset.SyntheticCorpus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

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
 * PrepareDemoData --outputDirectory=DIR [--dataset=FILE] [--train=600] [--normal=300]
 *   [--offTopic=24] [--seed=7]
 * </pre>
 */
public final class PrepareDemoData {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PrepareDemoData() {}

  public static void main(String[] args) throws IOException {
    CommandLine options =
        new CommandLine(
            "PrepareDemoData",
            args,
            Set.of("outputDirectory", "dataset", "train", "normal", "offTopic", "seed"));
    Path out = Path.of(options.required("outputDirectory"));
    int trainCount = options.getInt("train", 600);
    int normalCount = options.getInt("normal", 300);
    int offTopicCount = options.getInt("offTopic", SyntheticCorpus.offTopicCount());
    long seed = options.getLong("seed", 7);

    List<Map.Entry<String, String>> normal = new ArrayList<>();
    String dataset = options.optional("dataset");
    if (dataset == null) {
      SyntheticCorpus.tweets(trainCount + normalCount, seed)
          .forEach(t -> normal.add(Map.entry(t.text(), t.label().label())));
    } else {
      normal.addAll(readCorpus(Path.of(dataset)));
      Collections.shuffle(normal, new Random(seed));
      trainCount = normal.size() - Math.min(normalCount, normal.size() / 10);
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
                  ObjectNode line = JSON.createObjectNode().put("text", m.getKey());
                  if (!m.getValue().isEmpty()) {
                    line.put("label", m.getValue());
                  }
                  return line.toString();
                })
            .collect(Collectors.toList()));
  }
}
