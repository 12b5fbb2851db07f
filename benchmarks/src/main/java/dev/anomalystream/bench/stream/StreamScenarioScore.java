package dev.anomalystream.bench.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.evaluation.ScoreEvaluation;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.options.OptionValues;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Scores one scenario of {@link StreamScenarios} from what {@code scripts/evaluate-stream} wrote
 * for it: its {@code windows/}, {@code topics/} and {@code rows/} NDJSON, against the ground truth
 * in {@code scenarios.json} and the labels of the scenario's stream file. The figures are those
 * docs/QUALITY.md reports for the stream view:
 *
 * <ul>
 *   <li>false drift: drift windows that end no later than the change (all of them without a
 *       change), per day of the normal traffic before it, and how many episodes (runs of
 *       consecutive drift windows) they form;
 *   <li>delay: minutes from the change to the end of the first drift window ending after it;
 *   <li>for a burst, the topic holding most of its uids: its share of the burst and its purity; and
 *       how many topics there were in all and before the change;
 *   <li>AUROC of the window-relative score and of the trained kNN score, off-topic against normal
 *       messages, over the rows that carry both.
 * </ul>
 *
 * Prints one JSON object last; with {@code --markdown}, before it, one row of the table {@code |
 * scenario | false drift windows/day (episodes) | delay (min) | burst share | purity | topics
 * (before change) | AUROC window | AUROC kNN |}. The new-normal scenario has figures of its own,
 * those of {@link NewNormalScore}. {@code --help=StreamScenarioScoreOptions} lists every option.
 */
public final class StreamScenarioScore {
  /** The ground-truth file {@link StreamScenarios} writes beside the streams. */
  static final String CATALOG = "scenarios.json";

  /**
   * The detection row's window-relative score. The stream view adds it to the detection rows; named
   * here until {@link DetectionRow} has it.
   */
  static final String WINDOW_SCORE = "window_score";

  private static final double MINUTES_PER_DAY = 24 * 60;

  /** The options of {@code scripts/score-stream-scenario}. */
  public interface StreamScenarioScoreOptions extends PipelineOptions {
    @Description(
        "The scenario to score, a name in scenarios.json (normal-24h, burst, ...; required)")
    String getScenario();

    void setScenario(String value);

    @Description(
        "The directory scripts/stream-scenarios wrote: scenarios.json and the streams (required)")
    String getScenarios();

    void setScenarios(String value);

    @Description(
        "The --output directory of scripts/evaluate-stream run on the scenario's stream (required)")
    String getOutput();

    void setOutput(String value);

    @Description("Also print the scenario's row of the markdown table in docs/QUALITY.md")
    @Default.Boolean(false)
    boolean getMarkdown();

    void setMarkdown(boolean value);

    @Description(
        "What the run was, the first column of the new-normal scenario's markdown row (its --learn"
            + " mode, say); the scenario's name by default")
    String getRun();

    void setRun(String value);
  }

  /** One window row; the last row of a window in file order wins (late updates come after). */
  record Window(Instant start, Instant end, boolean drift) {}

  /** One topic event at its largest. */
  record Topic(
      String id, Instant firstWindowEnd, Instant lastWindowEnd, long size, Set<String> uids) {}

  /** A detection row's ground truth and scores; a score is NaN when the row has none. */
  record Scored(boolean offTopic, boolean flagged, double windowScore, double knnScore) {}

  private StreamScenarioScore() {}

  public static void main(String[] args) {
    PipelineOptionsFactory.register(StreamScenarioScoreOptions.class);
    StreamScenarioScoreOptions options =
        PipelineOptionsFactory.fromArgs(args).as(StreamScenarioScoreOptions.class);
    try {
      run(options, System.out);
    } catch (IOException | RuntimeException e) {
      System.err.println("score-stream-scenario: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Scores the scenario and returns the JSON object it printed last. */
  static ObjectNode run(StreamScenarioScoreOptions options, PrintStream out) throws IOException {
    Path scenarios = Path.of(required(options.getScenarios(), "scenarios"));
    Scenario.Truth truth =
        truth(scenarios.resolve(CATALOG), required(options.getScenario(), "scenario"));
    Path stream = scenarios.resolve(truth.file());
    Path output = Path.of(required(options.getOutput(), "output"));
    ObjectNode result;
    String markdown;
    if (ScenarioBuilder.NEW_NORMAL.equals(truth.name())) {
      result =
          NewNormalScore.score(
              truth,
              NewNormalScore.rows(
                  readNdjson(output.resolve("rows")), NewNormalScore.stream(stream)),
              readNdjson(output.resolve("topics")));
      String run = OptionValues.blankToNull(options.getRun());
      markdown = NewNormalScore.markdownRow(result, run == null ? truth.name() : run);
    } else {
      List<Window> windows = windows(readNdjson(output.resolve("windows")));
      List<Topic> topics = topics(readNdjson(output.resolve("topics")));
      List<Scored> rows = scored(readNdjson(output.resolve("rows")), offTopicByUid(stream));
      result = score(truth, windows, topics, rows);
      markdown = markdownRow(result);
    }
    if (options.getMarkdown()) {
      out.println(markdown);
    }
    out.println(Json.MAPPER.writeValueAsString(result));
    return result;
  }

  /**
   * The option's value; checked here, not by Beam's validation, which also demands a runner that no
   * tool here has.
   */
  private static String required(String value, String option) {
    String given = OptionValues.blankToNull(value);
    if (given == null) {
      throw new IllegalArgumentException("--" + option + " is required");
    }
    return given;
  }

  /** The figures of one scenario; every field is present, null when it does not apply. */
  static ObjectNode score(
      Scenario.Truth truth, List<Window> windows, List<Topic> topics, List<Scored> rows) {
    ObjectNode result = Json.MAPPER.createObjectNode();
    result.put("scenario", truth.name());
    Instant normalEnd = truth.change() != null ? truth.change() : truth.end();
    double normalMinutes = Duration.between(truth.start(), normalEnd).toSeconds() / 60.0;
    List<Window> sorted = windows.stream().sorted(Comparator.comparing(Window::end)).toList();
    List<Window> before = sorted.stream().filter(w -> !w.end().isAfter(normalEnd)).toList();
    long falseDrift = before.stream().filter(Window::drift).count();
    result.put("windows", sorted.size());
    result.put("windows_before_change", before.size());
    result.put("false_drift_windows", falseDrift);
    result.put("false_drift_episodes", episodes(before, slide(sorted)));
    result.put("false_drift_windows_per_day", falseDrift * MINUTES_PER_DAY / normalMinutes);
    result.put("normal_minutes", normalMinutes);
    result.put("drift_windows", sorted.stream().filter(Window::drift).count());

    Window firstAfter =
        truth.change() == null
            ? null
            : sorted.stream()
                .filter(w -> w.drift() && w.end().isAfter(truth.change()))
                .findFirst()
                .orElse(null);
    result.put(
        "delay_minutes",
        firstAfter == null
            ? null
            : Duration.between(truth.change(), firstAfter.end()).toSeconds() / 60.0);

    burst(truth, topics, result);
    scores(rows, result);
    return result;
  }

  /**
   * Runs of consecutive drift windows among windows sorted by end. Two windows are consecutive when
   * their ends are one slide apart: a window missing from the output breaks a run.
   */
  static long episodes(List<Window> sorted, Duration slide) {
    long episodes = 0;
    Window previous = null;
    for (Window window : sorted) {
      boolean continues =
          previous != null
              && previous.drift()
              && Duration.between(previous.end(), window.end()).compareTo(slide) <= 0;
      if (window.drift() && !continues) {
        episodes++;
      }
      previous = window;
    }
    return episodes;
  }

  /** The windows' slide: the shortest gap between the ends of windows sorted by end. */
  static Duration slide(List<Window> sorted) {
    Duration slide = null;
    for (int i = 1; i < sorted.size(); i++) {
      Duration gap = Duration.between(sorted.get(i - 1).end(), sorted.get(i).end());
      if (!gap.isZero() && (slide == null || gap.compareTo(slide) < 0)) {
        slide = gap;
      }
    }
    return slide == null ? Duration.ZERO : slide;
  }

  private static void burst(Scenario.Truth truth, List<Topic> topics, ObjectNode result) {
    result.put("topics_total", topics.size());
    result.put(
        "topics_before_change",
        truth.change() == null
            ? topics.size()
            : topics.stream().filter(t -> !t.firstWindowEnd().isAfter(truth.change())).count());
    Set<String> burst = new HashSet<>(truth.burstUids());
    result.put("burst_size", burst.size());
    Topic best = null;
    long bestHeld = 0;
    long holding = 0;
    for (Topic topic : topics) {
      long held = topic.uids().stream().filter(burst::contains).count();
      if (held > 0) {
        holding++;
      }
      if (held > bestHeld) {
        best = topic;
        bestHeld = held;
      }
    }
    result.put("burst_topics", holding);
    result.put("burst_topic_id", best == null ? null : best.id());
    result.put("burst_topic_size", best == null ? null : best.size());
    result.put("burst_share", burst.isEmpty() ? null : (double) bestHeld / burst.size());
    result.put("purity", best == null ? null : (double) bestHeld / best.size());
  }

  private static void scores(List<Scored> rows, ObjectNode result) {
    List<Scored> both =
        rows.stream()
            .filter(r -> Double.isFinite(r.windowScore()) && Double.isFinite(r.knnScore()))
            .toList();
    long offTopic = rows.stream().filter(Scored::offTopic).count();
    result.put("rows", rows.size());
    result.put("rows_off_topic", offTopic);
    result.put("rows_with_both_scores", both.size());
    result.put(
        "flagged_share_off_topic",
        offTopic == 0
            ? null
            : (double) rows.stream().filter(r -> r.offTopic() && r.flagged()).count() / offTopic);
    long normal = rows.size() - offTopic;
    result.put(
        "flagged_share_normal",
        normal == 0
            ? null
            : (double) rows.stream().filter(r -> !r.offTopic() && r.flagged()).count() / normal);
    result.put("auroc_window_score", auroc(both, Scored::windowScore));
    result.put("auroc_knn_score", auroc(both, Scored::knnScore));
  }

  private interface ScoreOf {
    double of(Scored row);
  }

  /** Null unless both classes are present. */
  private static Double auroc(List<Scored> rows, ScoreOf score) {
    double[] normal = rows.stream().filter(r -> !r.offTopic()).mapToDouble(score::of).toArray();
    double[] offTopic = rows.stream().filter(Scored::offTopic).mapToDouble(score::of).toArray();
    return normal.length == 0 || offTopic.length == 0
        ? null
        : new ScoreEvaluation(normal, offTopic).auroc();
  }

  static String markdownRow(JsonNode result) {
    return String.format(
        Locale.ROOT,
        "| %s | %s (%d) | %s | %s | %s | %d (%d) | %s | %s |",
        result.get("scenario").asText(),
        number(result.get("false_drift_windows_per_day"), 1),
        result.get("false_drift_episodes").asLong(),
        number(result.get("delay_minutes"), 1),
        number(result.get("burst_share"), 2),
        number(result.get("purity"), 2),
        result.get("topics_total").asLong(),
        result.get("topics_before_change").asLong(),
        number(result.get("auroc_window_score"), 3),
        number(result.get("auroc_knn_score"), 3));
  }

  private static String number(JsonNode value, int decimals) {
    return value == null || value.isNull()
        ? "–"
        : String.format(Locale.ROOT, "%." + decimals + "f", value.asDouble());
  }

  /** The scenario's entry of {@code scenarios.json}. */
  static Scenario.Truth truth(Path catalog, String name) throws IOException {
    JsonNode root = Json.MAPPER.readTree(catalog.toFile());
    List<String> names = new ArrayList<>();
    for (JsonNode entry : root.path("scenarios")) {
      Scenario.Truth truth = Scenario.Truth.of(entry);
      if (truth.name().equals(name)) {
        return truth;
      }
      names.add(truth.name());
    }
    throw new IllegalArgumentException(
        "no scenario '" + name + "' in " + catalog + " (it has " + String.join(", ", names) + ")");
  }

  /** Whether each uid of a stream file is an injected off-topic message. */
  static Map<String, Boolean> offTopicByUid(Path stream) throws IOException {
    Map<String, Boolean> offTopic = new HashMap<>();
    for (String line : Files.readAllLines(stream, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        JsonNode message = Json.MAPPER.readTree(line);
        offTopic.put(
            message.get(StreamMessage.UID).asText(),
            StreamMessage.OFF_TOPIC.equals(message.path(StreamMessage.LABEL).asText()));
      }
    }
    return offTopic;
  }

  static List<Window> windows(List<JsonNode> rows) {
    Map<List<Instant>, Window> byBounds = new LinkedHashMap<>();
    for (JsonNode row : rows) {
      Window window =
          new Window(
              instant(row.get("window_start")),
              instant(row.get("window_end")),
              row.path("is_drift").asBoolean());
      byBounds.put(List.of(window.start(), window.end()), window);
    }
    return List.copyOf(byBounds.values());
  }

  static List<Topic> topics(List<JsonNode> rows) {
    Map<String, Topic> byId = new LinkedHashMap<>();
    for (JsonNode row : rows) {
      Set<String> uids = new HashSet<>();
      row.path("uids").forEach(uid -> uids.add(uid.asText()));
      Topic topic =
          new Topic(
              row.get("topic_id").asText(),
              instant(row.get("first_window_end")),
              instant(row.get("last_window_end")),
              row.has("size") ? row.get("size").asLong() : uids.size(),
              uids);
      byId.merge(topic.id(), topic, StreamScenarioScore::larger);
    }
    return List.copyOf(byId.values());
  }

  /** The later state of a growing topic: the larger, or at equal size the later updated. */
  private static Topic larger(Topic a, Topic b) {
    if (a.size() != b.size()) {
      return a.size() > b.size() ? a : b;
    }
    return b.lastWindowEnd().isAfter(a.lastWindowEnd()) ? b : a;
  }

  /** Detection rows joined with the stream's ground truth; rows of unknown uids are left out. */
  static List<Scored> scored(List<JsonNode> rows, Map<String, Boolean> offTopic) {
    List<Scored> scored = new ArrayList<>();
    for (JsonNode row : rows) {
      Boolean injected = offTopic.get(row.path(DetectionRow.UID).asText());
      if (injected != null) {
        scored.add(
            new Scored(
                injected,
                row.path(DetectionRow.IS_ANOMALY).asBoolean(),
                score(row.get(WINDOW_SCORE)),
                score(row.get(DetectionRow.KNN_SCORE))));
      }
    }
    return scored;
  }

  private static double score(JsonNode value) {
    return value != null && value.isNumber() ? value.asDouble() : Double.NaN;
  }

  /** An ISO-8601 instant, with {@code Z} or an offset. */
  static Instant instant(JsonNode value) {
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("a row lacks a time field");
    }
    String text = value.asText();
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(text).toInstant();
    }
  }

  /**
   * Every JSON line of every finished file under {@code directory}, nested directories included:
   * files whose name holds {@code .json} (gzip when it ends in {@code .gz}), not {@code
   * .inprogress} ones, in path order; none when it is absent.
   */
  static List<JsonNode> readNdjson(Path directory) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return rows;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(directory)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(
                  p -> {
                    String name = p.getFileName().toString();
                    return name.contains(".json") && !name.endsWith(".inprogress");
                  })
              .sorted()
              .toList();
    }
    for (Path file : files) {
      try (InputStream raw = Files.newInputStream(file);
          InputStream in =
              file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
          BufferedReader reader =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (!line.isBlank()) {
            rows.add(Json.MAPPER.readTree(line));
          }
        }
      }
    }
    return rows;
  }
}
