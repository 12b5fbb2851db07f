package dev.anomalystream.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which group models of the previous release a new release keeps: a group without a new model
 * (absent from the training history, quiet for a while rather than gone; or too small or refused
 * this time) keeps its last model while that model is younger than the retention, so its messages
 * are not suddenly judged by the global model; older ones are dropped and the group falls back to
 * the global model.
 */
public final class GroupRetention {
  private GroupRetention() {}

  /**
   * @param previous the release LATEST named before, or null for none
   * @param trained the groups the new release has a fresh model for
   * @param retention how long a group model is kept after it was trained; zero keeps none
   * @param now the new release's training time
   * @return group value → the kept model, for groups of {@code previous} not in {@code trained}
   *     whose model was created after {@code now - retention}
   */
  public static Map<String, StoredModel> kept(
      StoredModel previous, Set<String> trained, Duration retention, Instant now) {
    Map<String, StoredModel> kept = new TreeMap<>();
    if (previous == null || retention.isZero() || retention.isNegative()) {
      return kept;
    }
    Instant oldest = now.minus(retention);
    previous
        .groups()
        .forEach(
            (group, model) -> {
              Instant created = model.metadata().createdAt();
              if (!trained.contains(group) && created != null && created.isAfter(oldest)) {
                kept.put(group, model);
              }
            });
    return kept;
  }
}
