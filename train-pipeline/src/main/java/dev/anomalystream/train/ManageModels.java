package dev.anomalystream.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.model.AnomalyDetector;
import dev.anomalystream.core.model.GroupManifest;
import dev.anomalystream.core.model.LatestChange;
import dev.anomalystream.core.model.ModelRegistry;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.model.Verdict;
import dev.anomalystream.core.options.EmbeddingOptions;
import dev.anomalystream.core.options.ModelStoreOptions;
import dev.anomalystream.core.options.OptionValues;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * {@code scripts/models list|show|history|promote|rollback|diff}: a model store's versions for a
 * person. Promotion and rollback replace {@code LATEST} atomically and record who, when and why
 * under the model's {@code history/}; the running detector follows LATEST as it always does. The
 * last line printed is one JSON object.
 */
public final class ManageModels {
  /** What to do. */
  public enum Command {
    LIST,
    SHOW,
    HISTORY,
    PROMOTE,
    ROLLBACK,
    DIFF;

    @JsonCreator
    public static Command parseOption(String value) {
      return OptionValues.choice(Command.class, value, "command");
    }
  }

  /** The options of {@code scripts/models}. */
  public interface ManageModelsOptions extends ModelStoreOptions, EmbeddingOptions {
    @Description("list, show, history, promote, rollback or diff (scripts/models takes it first)")
    @Validation.Required
    Command getCommand();

    void setCommand(Command value);

    @Description("The version to show, promote or diff; for diff, default LATEST")
    String getVersion();

    void setVersion(String value);

    @Description("diff: the version to compare --version with")
    String getAgainst();

    void setAgainst(String value);

    @Description("promote, rollback: why, recorded in the model's history")
    @Default.String("")
    String getReason();

    void setReason(String value);

    @Description("promote, rollback: who, recorded in the history; default the system user")
    String getBy();

    void setBy(String value);

    @Description(
        "diff: a file of messages (any corpus format) both versions score, to compare decisions")
    String getTexts();

    void setTexts(String value);
  }

  private ManageModels() {}

  public static void main(String[] args) {
    PipelineOptionsFactory.register(ManageModelsOptions.class);
    try {
      run(
          PipelineOptionsFactory.fromArgs(args).withValidation().as(ManageModelsOptions.class),
          System.out);
    } catch (Exception e) {
      System.err.println("models: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Runs the command; returns the JSON object it printed last. */
  static ObjectNode run(ManageModelsOptions options, PrintStream out) throws Exception {
    FileSystems.setDefaultPipelineOptions(options);
    ModelStore store = ModelStore.open(options.getModelRoot(), options.getModelName());
    ModelRegistry registry = new ModelRegistry(store);
    String by = OptionValues.blankToNull(options.getBy());
    by = by == null ? LatestChange.currentUser() : by;
    ObjectNode summary =
        Json.MAPPER
            .createObjectNode()
            .put("command", options.getCommand().name().toLowerCase(Locale.ROOT));
    switch (options.getCommand()) {
      case LIST -> {
        List<ModelRegistry.VersionSummary> versions = registry.list();
        out.printf(
            "%-18s %-7s %-6s %9s %9s %9s %8s %8s %6s%n",
            "version",
            "latest",
            "score",
            "threshold",
            "target_fa",
            "est_fa",
            "rows",
            "clusters",
            "groups");
        for (ModelRegistry.VersionSummary v : versions) {
          out.printf(
              Locale.ROOT,
              "%-18s %-7s %-6s %9s %9s %9s %8s %8s %6s%n",
              v.version(),
              v.latest() ? "LATEST" : "",
              v.score(),
              v.threshold() == null ? "-" : String.format(Locale.ROOT, "%.4f", v.threshold()),
              v.targetFalseAlarmRate(),
              v.crossCheckedFalseAlarmRate(),
              v.trainingRows(),
              v.clusters(),
              v.groups());
        }
        summary.set("versions", Json.MAPPER.valueToTree(versions));
      }
      case SHOW -> {
        String version = required(options.getVersion(), "--version");
        byte[] json = registry.show(version).toJson();
        out.println(new String(json, java.nio.charset.StandardCharsets.UTF_8));
        summary.set("metadata", Json.MAPPER.readTree(json));
        GroupManifest groups = registry.groups(version);
        if (!groups.groups().isEmpty()) {
          out.println(new String(groups.toJson(), java.nio.charset.StandardCharsets.UTF_8));
          summary.set("groups", Json.MAPPER.valueToTree(groups.groups()));
        }
      }
      case HISTORY -> {
        List<LatestChange> history = store.history();
        for (LatestChange change : history) {
          out.printf(
              "%s %-8s %s (was %s) by %s: %s%n",
              change.at(),
              change.action(),
              change.version(),
              change.previous(),
              change.by(),
              change.reason());
        }
        summary.set("history", Json.MAPPER.valueToTree(history));
      }
      case PROMOTE -> {
        LatestChange change =
            registry.promote(required(options.getVersion(), "--version"), by, options.getReason());
        out.printf("LATEST %s -> %s%n", change.previous(), change.version());
        summary.set("change", Json.MAPPER.valueToTree(change));
      }
      case ROLLBACK -> {
        LatestChange change = registry.rollback(by, options.getReason());
        out.printf("LATEST %s -> %s%n", change.previous(), change.version());
        summary.set("change", Json.MAPPER.valueToTree(change));
      }
      case DIFF -> diff(options, store, registry, summary, out);
    }
    out.println(Json.MAPPER.writeValueAsString(summary));
    return summary;
  }

  private static void diff(
      ManageModelsOptions options,
      ModelStore store,
      ModelRegistry registry,
      ObjectNode summary,
      PrintStream out)
      throws Exception {
    String version = OptionValues.blankToNull(options.getVersion());
    if (version == null) {
      version =
          store
              .readLatest()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException("diff needs --version (nothing was published)"));
    }
    String against = required(options.getAgainst(), "--against");
    Map<String, List<String>> differences = registry.diffMetadata(version, against);
    differences.forEach(
        (path, values) -> out.printf("%s: %s -> %s%n", path, values.get(0), values.get(1)));
    summary.put("version", version).put("against", against);
    summary.set("metadata", Json.MAPPER.valueToTree(differences));
    String texts = OptionValues.blankToNull(options.getTexts());
    if (texts == null) {
      return;
    }
    CorpusTexts corpus = CorpusTexts.read(texts, Set.of());
    out.println(corpus.describe());
    boolean[][] flagged = new boolean[2][];
    ArrayNode scored = summary.putArray("scores");
    String[] versions = {version, against};
    for (int m = 0; m < 2; m++) {
      SentenceEmbedder embedder = SharedEmbedders.get(embedderFor(store, versions[m], options));
      AnomalyDetector detector =
          AnomalyDetector.load(
              store.load(versions[m]),
              embedder.modelId(),
              embedder.dimension(),
              AnomalyDetector.Overrides.none());
      Verdict[] verdicts =
          detector.score(
              new TextEmbeddings(embedder, null, out).embed(texts, corpus.texts()).vectors());
      flagged[m] = new boolean[verdicts.length];
      double sum = 0;
      int count = 0;
      for (int i = 0; i < verdicts.length; i++) {
        flagged[m][i] = verdicts[i].anomalous();
        count += flagged[m][i] ? 1 : 0;
        sum += verdicts[i].score(detector.scoreKind());
      }
      out.printf(
          Locale.ROOT,
          "%s: %d of %d flagged, mean %s score %.4f%n",
          versions[m],
          count,
          verdicts.length,
          detector.scoreKind().id(),
          sum / verdicts.length);
      scored
          .addObject()
          .put("version", versions[m])
          .put("flagged", count)
          .put("messages", verdicts.length)
          .put("mean_score", sum / verdicts.length);
    }
    int both = 0;
    int onlyFirst = 0;
    int onlySecond = 0;
    for (int i = 0; i < flagged[0].length; i++) {
      both += flagged[0][i] && flagged[1][i] ? 1 : 0;
      onlyFirst += flagged[0][i] && !flagged[1][i] ? 1 : 0;
      onlySecond += !flagged[0][i] && flagged[1][i] ? 1 : 0;
    }
    out.printf(
        "flagged by both %d, only by %s %d, only by %s %d%n",
        both, version, onlyFirst, against, onlySecond);
    summary
        .putObject("agreement")
        .put("both", both)
        .put("only_" + version, onlyFirst)
        .put("only_" + against, onlySecond);
  }

  private static EmbedderOptions embedderFor(
      ModelStore store, String version, ManageModelsOptions options) throws Exception {
    return EmbedderOptions.of(
            store.readMetadata(version).embedding().specToServe(options.getEmbeddingModel()))
        .withIntraOpThreads(options.getIntraOpThreads())
        .withDevice(EmbeddingOptions.device(options));
  }

  private static String required(String value, String flag) {
    String given = OptionValues.blankToNull(value);
    if (given == null) {
      throw new IllegalArgumentException("this command needs " + flag);
    }
    return given;
  }
}
