package dev.anomalystream.bench.stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.dataset.CorpusParser;
import dev.anomalystream.core.dataset.CorpusRecord;
import dev.anomalystream.core.dataset.EmotionLabel;
import dev.anomalystream.core.dataset.RejectedLine;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.options.OptionValues;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Writes the scenario streams of the stream view's measurement (docs/QUALITY.md) from the
 * development data, one JSON-lines file per scenario for {@code scripts/evaluate-stream}, and
 * {@code scenarios.json} with each one's ground truth (change time, burst uids) for {@code
 * scripts/score-stream-scenario}. The same seed writes the same files.
 *
 * <ul>
 *   <li>{@code normal-24h}: 24 h of normal traffic;
 *   <li>{@code burst}: 3 h of normal traffic and, at 1h30, 25 off-topic texts of one kind within 5
 *       minutes;
 *   <li>{@code rise}: 3 h of traffic, 20 % of it off-topic from 1h30 on;
 *   <li>{@code mix-shift}: 3 h of normal traffic, only sadness and anger from 1h30 on;
 *   <li>{@code new-normal}: 6 h of traffic; from 1 h on, 30 % of it movie-review sentences (a new
 *       subject that stays, labelled {@code new-subject}), and 1 % single TREC questions (labelled
 *       {@code off-topic}) throughout: the online-learning measure, scored by {@link
 *       NewNormalScore}.
 * </ul>
 *
 * <p>The burst's texts are TREC questions starting with "how many" by default: one kind of message
 * (questions about a count) that is plainly not a tweet about a feeling, as an outage report would
 * be, while their subjects vary, so grouping them takes their shared form, not a repeated word.
 * Movie-review sentences sharing a word ({@code --burstTexts=...movie_review_sentences.txt
 * --burstPattern=\bfilm\b}) are the harder variant: emotional language that the trained model flags
 * less often. The last line printed is one JSON object; {@code --help=StreamScenariosOptions} lists
 * every option.
 */
public final class StreamScenarios {
  /** Longest text read, in characters; as the ingest pipeline's default. */
  private static final int MAX_CHARS = 5000;

  /** The options of {@code scripts/stream-scenarios}. */
  public interface StreamScenariosOptions extends PipelineOptions {
    @Description("Directory the scenario files and scenarios.json are written to (required)")
    String getOutput();

    void setOutput(String value);

    @Description("Seed of every random draw: the same seed writes the same files")
    @Default.Long(42)
    long getSeed();

    void setSeed(long value);

    @Description(
        "Normal messages per minute (all messages during the rise and the new-normal scenario),"
            + " Poisson arrivals")
    @Default.Double(10)
    double getMessagesPerMinute();

    void setMessagesPerMinute(double value);

    @Description("Labelled normal texts (text;label lines, JSON lines or CSV)")
    @Default.String("../shared/data/emotion/validation.txt")
    String getNormal();

    void setNormal(String value);

    @Description("Off-topic text files mixed in the rise, comma-separated")
    @Default.String(
        "../shared/data/anomalies-dev/normalized/trec_questions.txt,"
            + "../shared/data/anomalies-dev/normalized/movie_review_sentences.txt")
    String getOffTopic();

    void setOffTopic(String value);

    @Description("Off-topic texts the burst is drawn from")
    @Default.String("../shared/data/anomalies-dev/normalized/trec_questions.txt")
    String getBurstTexts();

    void setBurstTexts(String value);

    @Description("Regular expression (found anywhere) that picks the burst's kind of text")
    @Default.String("^how many ")
    String getBurstPattern();

    void setBurstPattern(String value);

    @Description("Off-topic messages in the burst")
    @Default.Integer(25)
    int getBurstSize();

    void setBurstSize(int value);

    @Description("Minutes the burst's messages fall within, from the change")
    @Default.Integer(5)
    int getBurstMinutes();

    void setBurstMinutes(int value);

    @Description("Share of the messages that are off-topic after the rise's change")
    @Default.Double(0.2)
    double getRiseShare();

    void setRiseShare(double value);

    @Description("The only emotion classes after the mix shift's change, comma-separated")
    @Default.String("sadness,anger")
    String getShiftClasses();

    void setShiftClasses(String value);

    @Description("Start of every stream's event time, an ISO-8601 instant")
    @Default.String("2026-11-30T00:00:00Z")
    String getStart();

    void setStart(String value);

    @Description("Hours of the stream without a change (normal-24h)")
    @Default.Integer(24)
    int getNormalHours();

    void setNormalHours(int value);

    @Description("Hours of each stream with a change")
    @Default.Integer(3)
    int getHours();

    void setHours(int value);

    @Description("Minutes from the start to the change")
    @Default.Integer(90)
    int getChangeMinutes();

    void setChangeMinutes(int value);

    @Description(
        "The subject that becomes a steady share of the new-normal scenario's traffic: a text file")
    @Default.String("../shared/data/anomalies-dev/normalized/movie_review_sentences.txt")
    String getNewSubject();

    void setNewSubject(String value);

    @Description("Off-topic texts that appear singly throughout the new-normal scenario")
    @Default.String("../shared/data/anomalies-dev/normalized/trec_questions.txt")
    String getSingles();

    void setSingles(String value);

    @Description("Hours of the new-normal scenario")
    @Default.Integer(6)
    int getNewNormalHours();

    void setNewNormalHours(int value);

    @Description("Minutes from the start of the new-normal scenario to its new subject")
    @Default.Integer(60)
    int getNewSubjectAfterMinutes();

    void setNewSubjectAfterMinutes(int value);

    @Description("Share of all messages from the new subject, from its start on")
    @Default.Double(0.3)
    double getNewSubjectShare();

    void setNewSubjectShare(double value);

    @Description(
        "Share of all messages that are single off-topic ones, throughout the new-normal scenario")
    @Default.Double(0.01)
    double getSingleShare();

    void setSingleShare(double value);
  }

  private StreamScenarios() {}

  public static void main(String[] args) {
    PipelineOptionsFactory.register(StreamScenariosOptions.class);
    StreamScenariosOptions options =
        PipelineOptionsFactory.fromArgs(args).as(StreamScenariosOptions.class);
    try {
      run(options, System.out);
    } catch (IOException | RuntimeException e) {
      System.err.println("stream-scenarios: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Writes the files and returns the summary it printed last. */
  static ObjectNode run(StreamScenariosOptions options, PrintStream out) throws IOException {
    // checked here, not by Beam's validation: that also demands a runner, which no tool here has
    String outputOption = OptionValues.blankToNull(options.getOutput());
    if (outputOption == null) {
      throw new IllegalArgumentException("--output=DIR is required");
    }
    Pattern burstPattern = Pattern.compile(options.getBurstPattern());
    // the burst's texts are usually one of the rise's files: each file is read once
    Map<String, List<CorpusRecord>> corpora = new HashMap<>();
    List<CorpusRecord> normal = read(options.getNormal(), corpora, out);
    List<List<String>> offTopic = new ArrayList<>();
    for (String file : commaSeparated(options.getOffTopic())) {
      offTopic.add(texts(read(file, corpora, out)));
    }
    List<String> burstCandidates =
        texts(read(options.getBurstTexts(), corpora, out)).stream()
            .filter(text -> burstPattern.matcher(text).find())
            .toList();
    ScenarioBuilder.Settings settings =
        new ScenarioBuilder.Settings(
            Instant.parse(options.getStart()),
            options.getMessagesPerMinute(),
            Duration.ofHours(options.getNormalHours()),
            Duration.ofHours(options.getHours()),
            Duration.ofMinutes(options.getChangeMinutes()),
            options.getBurstSize(),
            Duration.ofMinutes(options.getBurstMinutes()),
            options.getRiseShare(),
            classes(options.getShiftClasses()),
            new ScenarioBuilder.NewNormal(
                Duration.ofHours(options.getNewNormalHours()),
                Duration.ofMinutes(options.getNewSubjectAfterMinutes()),
                options.getNewSubjectShare(),
                options.getSingleShare()));
    ScenarioBuilder.Source newSubject =
        new ScenarioBuilder.Source(
            options.getNewSubject(), texts(read(options.getNewSubject(), corpora, out)));
    ScenarioBuilder.Source singles =
        new ScenarioBuilder.Source(
            options.getSingles(), texts(read(options.getSingles(), corpora, out)));
    List<Scenario> scenarios =
        new ScenarioBuilder(
                new ScenarioBuilder.Texts(normal, offTopic, burstCandidates, newSubject, singles),
                settings,
                options.getSeed())
            .all();

    Path output = Path.of(outputOption);
    Files.createDirectories(output);
    ObjectNode catalog = Json.MAPPER.createObjectNode();
    catalog.put("seed", options.getSeed());
    catalog.put("messages_per_minute", options.getMessagesPerMinute());
    catalog.put("normal", options.getNormal());
    catalog.put("burst_texts", options.getBurstTexts());
    catalog.put("burst_pattern", options.getBurstPattern());
    catalog.put("burst_candidates", burstCandidates.size());
    ArrayNode entries = catalog.putArray("scenarios");
    ObjectNode summary = Json.MAPPER.createObjectNode();
    summary.put("output", output.toString());
    ObjectNode counts = summary.putObject("messages");
    for (Scenario scenario : scenarios) {
      write(output.resolve(scenario.fileName()), scenario.messages());
      entries.add(scenario.describe());
      counts.put(scenario.name(), scenario.messages().size());
      out.printf(
          "%s: %d messages (%s)%n",
          scenario.fileName(), scenario.messages().size(), scenario.description());
    }
    Files.writeString(
        output.resolve(StreamScenarioScore.CATALOG),
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(catalog) + "\n");
    out.println(Json.MAPPER.writeValueAsString(summary));
    return summary;
  }

  /**
   * The entries of a comma-separated option; a plain string because Beam cannot give a list option
   * a default.
   */
  private static List<String> commaSeparated(String value) {
    return OptionValues.nonBlank(List.of(value.split(",")));
  }

  private static Set<EmotionLabel> classes(String names) {
    Set<EmotionLabel> classes = EnumSet.noneOf(EmotionLabel.class);
    for (String name : commaSeparated(names)) {
      classes.add(
          EmotionLabel.parse(name)
              .orElseThrow(() -> new IllegalArgumentException("unknown emotion class " + name)));
    }
    return classes;
  }

  private static List<String> texts(List<CorpusRecord> records) {
    return records.stream().map(CorpusRecord::text).toList();
  }

  /**
   * Every record of a corpus file, from {@code corpora} when it was read before; rejected lines are
   * counted on {@code out}, not fatal.
   */
  private static List<CorpusRecord> read(
      String file, Map<String, List<CorpusRecord>> corpora, PrintStream out) throws IOException {
    if (corpora.containsKey(file)) {
      return corpora.get(file);
    }
    List<CorpusRecord> records = new ArrayList<>();
    List<RejectedLine> rejected = new ArrayList<>();
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      new CorpusParser(MAX_CHARS, null)
          .parse(
              file,
              in,
              null,
              new CorpusParser.Sink() {
                @Override
                public void record(CorpusRecord record) {
                  records.add(record);
                }

                @Override
                public void reject(RejectedLine line) {
                  rejected.add(line);
                }
              });
    }
    out.printf("%s: %d texts%n", file, records.size());
    if (!rejected.isEmpty()) {
      out.printf(
          "  %d lines rejected (first: line %d, %s)%n",
          rejected.size(), rejected.get(0).lineNumber(), rejected.get(0).reason());
    }
    corpora.put(file, records);
    return records;
  }

  private static void write(Path file, List<StreamMessage> messages) throws IOException {
    try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (StreamMessage message : messages) {
        writer.write(Json.MAPPER.writeValueAsString(message.toJson()));
        writer.write('\n');
      }
    }
  }
}
