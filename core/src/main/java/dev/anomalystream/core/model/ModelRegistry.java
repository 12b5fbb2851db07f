package dev.anomalystream.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anomalystream.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a person does with a model's versions ({@code scripts/models}): list them with their
 * figures, promote one to LATEST, roll LATEST back, compare two. Every change goes through {@link
 * ModelStore#publishLatest(String, String, String, String)}, so it is atomic and recorded; a
 * version is checked whole (every file against its sha256) before it may serve.
 */
public final class ModelRegistry {
  private final ModelStore store;

  public ModelRegistry(ModelStore store) {
    this.store = store;
  }

  /**
   * One line of {@code list}.
   *
   * @param threshold the calibrated threshold of the score in use, null under none
   * @param targetFalseAlarmRate what the calibration aimed at
   * @param crossCheckedFalseAlarmRate the calibration's estimate for new normal messages
   * @param groups how many group models the release holds (0 without groups)
   */
  public record VersionSummary(
      String version,
      String createdAt,
      String embeddingModel,
      String score,
      Double threshold,
      Double targetFalseAlarmRate,
      Double crossCheckedFalseAlarmRate,
      Integer trainingRows,
      Integer clusters,
      int groups,
      boolean latest) {}

  /** Every complete version, oldest first. */
  public List<VersionSummary> list() throws IOException {
    String latest = store.readLatest().orElse(null);
    List<VersionSummary> summaries = new ArrayList<>();
    for (String version : store.listVersions()) {
      ModelMetadata metadata = store.readMetadata(version);
      ModelMetadata.CalibrationRecord calibration = metadata.calibration();
      ModelMetadata.Training training = metadata.training();
      summaries.add(
          new VersionSummary(
              version,
              metadata.createdAt() == null ? null : metadata.createdAt().toString(),
              metadata.embedding().modelId(),
              calibration == null || calibration.score() == null ? null : calibration.score().id(),
              calibration == null ? null : calibration.threshold(),
              calibration == null ? null : calibration.targetFalseAlarmRate(),
              calibration == null ? null : calibration.crossCheckedFalseAlarmRate(),
              training == null ? null : training.rowCount(),
              training == null || training.clusterSizes() == null
                  ? null
                  : training.clusterSizes().size(),
              store.readGroupManifest(version).map(m -> m.groups().size()).orElse(0),
              version.equals(latest)));
    }
    return summaries;
  }

  /** A version's metadata, as stored. */
  public ModelMetadata show(String version) throws IOException {
    return store.readMetadata(version);
  }

  /** A version's group models (value → directory, rows, size, training version); empty for none. */
  public GroupManifest groups(String version) throws IOException {
    return store.readGroupManifest(version).orElse(new GroupManifest(null));
  }

  /** Makes {@code version} LATEST once every one of its files checks out. */
  public LatestChange promote(String version, String by, String reason) throws IOException {
    store.load(version);
    return store.publishLatest(version, LatestChange.PROMOTE, by, reason);
  }

  /**
   * Makes LATEST what it named before its last change (from the recorded history); for a store
   * without history, the newest version older than the current one.
   *
   * @throws IllegalStateException when there is nothing to roll back to
   */
  public LatestChange rollback(String by, String reason) throws IOException {
    String current =
        store
            .readLatest()
            .orElseThrow(() -> new IllegalStateException("nothing was published: no LATEST"));
    String target =
        previousFromHistory(current)
            .or(() -> olderVersion(current))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no version to roll back to: " + current + " is the only one"));
    store.load(target);
    return store.publishLatest(target, LatestChange.ROLLBACK, by, reason);
  }

  private Optional<String> previousFromHistory(String current) throws IOException {
    List<LatestChange> history = store.history();
    for (int i = history.size() - 1; i >= 0; i--) {
      LatestChange change = history.get(i);
      if (change.version().equals(current)) {
        return Optional.ofNullable(change.previous());
      }
    }
    return Optional.empty();
  }

  private Optional<String> olderVersion(String current) {
    try {
      String older = null;
      for (String version : store.listVersions()) {
        if (version.compareTo(current) < 0) {
          older = version;
        }
      }
      return Optional.ofNullable(older);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * How two versions' metadata differ: each leaf that differs, by its JSON path, with the value in
   * each (null where one has none). File checksums always differ and are left out.
   */
  public Map<String, List<String>> diffMetadata(String version, String other) throws IOException {
    Map<String, String> left = releaseLeaves(version);
    Map<String, String> right = releaseLeaves(other);
    Map<String, List<String>> differences = new TreeMap<>();
    for (String path : union(left, right)) {
      String a = left.get(path);
      String b = right.get(path);
      if (!path.startsWith("files.") && !Objects.equals(a, b)) {
        differences.put(path, Arrays.asList(a, b));
      }
    }
    return differences;
  }

  /**
   * A version's metadata leaves, and its group manifest's under {@code release.} (a group added,
   * dropped, retrained or kept shows as its entry's fields).
   */
  private Map<String, String> releaseLeaves(String version) throws IOException {
    Map<String, String> leaves = leaves(Json.MAPPER.readTree(store.readMetadata(version).toJson()));
    leaves(Json.MAPPER.readTree(groups(version).toJson()))
        .forEach((path, value) -> leaves.put("release." + path, value));
    return leaves;
  }

  private static List<String> union(Map<String, String> left, Map<String, String> right) {
    TreeMap<String, String> all = new TreeMap<>(left);
    all.putAll(right);
    return new ArrayList<>(all.keySet());
  }

  /** {@code a.b[2].c → value} for every scalar in the tree. */
  static Map<String, String> leaves(JsonNode tree) {
    Map<String, String> leaves = new TreeMap<>();
    collect(tree, "", leaves);
    return leaves;
  }

  private static void collect(JsonNode node, String path, Map<String, String> leaves) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        collect(
            field.getValue(),
            path.isEmpty() ? field.getKey() : path + "." + field.getKey(),
            leaves);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), path + "[" + i + "]", leaves);
      }
    } else if (!node.isNull()) {
      leaves.put(path, node.asText());
    }
  }
}
