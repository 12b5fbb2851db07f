package dev.anomalystream.core.model;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A loaded release: the global detector and one detector per group model, built from one {@link
 * StoredModel} so that every message of a version is scored by models of the same release. A
 * message is routed to its group's model when the release has one, else to the global model (no
 * group, a group too small to have had a model, or an invalid group value).
 */
public final class ModelRelease {
  /** {@code model_scope} of a row scored by its group's model. */
  public static final String GROUP_SCOPE = "group";

  /** {@code model_scope} of a row scored by the global model. */
  public static final String GLOBAL_SCOPE = "global";

  /** The detector a message goes to and the scope it is (group or global). */
  public record Routed(AnomalyDetector detector, String scope) {}

  private final AnomalyDetector global;
  private final Map<String, AnomalyDetector> groups;

  public ModelRelease(AnomalyDetector global, Map<String, AnomalyDetector> groups) {
    this.global = Objects.requireNonNull(global, "global");
    this.groups = Map.copyOf(groups);
  }

  /**
   * Loads the global model and every group model of a stored version with the same embedding check
   * and overrides (a threshold override applies to every model of the release).
   *
   * @throws IOException or {@link IncompatibleModelException} when any of them cannot be loaded: a
   *     release is served whole or not at all
   */
  public static ModelRelease load(
      StoredModel stored,
      String embeddingModelId,
      int dimension,
      AnomalyDetector.Overrides overrides)
      throws IOException {
    AnomalyDetector global = AnomalyDetector.load(stored, embeddingModelId, dimension, overrides);
    Map<String, AnomalyDetector> groups = new LinkedHashMap<>();
    for (Map.Entry<String, StoredModel> group : stored.groups().entrySet()) {
      groups.put(
          group.getKey(),
          AnomalyDetector.load(group.getValue(), embeddingModelId, dimension, overrides));
    }
    return new ModelRelease(global, groups);
  }

  /** The group's model when the release has one (and the value is a valid group), else global. */
  public Routed route(String group) {
    AnomalyDetector detector = group == null ? null : groups.get(group);
    return detector == null ? new Routed(global, GLOBAL_SCOPE) : new Routed(detector, GROUP_SCOPE);
  }

  public AnomalyDetector global() {
    return global;
  }

  /** The version this release is: the global model's (group models may come from earlier ones). */
  public String version() {
    return global.modelVersion();
  }

  public int groupCount() {
    return groups.size();
  }
}
