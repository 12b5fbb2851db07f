package dev.anomalystream.detect;

import dev.anomalystream.core.model.AnomalyDetector;
import dev.anomalystream.core.model.ModelRelease;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models this JVM has loaded, shared by every scoring thread: each version (a {@link
 * ModelRelease}: the global model and its group models, loaded whole or not at all) is read and
 * verified once, however many DoFn instances ask. A version that fails to load (missing, corrupt,
 * trained on another embedding) is logged and counted, the last version that did load keeps
 * serving, and the failed one is tried again after {@link #RETRY_AFTER} (a storage hiccup heals).
 * The last good detector is kept per model location, embedding and overrides, the cache key without
 * the version, so two detectors in one JVM never fall back to each other's model.
 *
 * <p>A long-running worker sees a new version after every retraining, and a detector holds its
 * whole model (HDBSCAN and the k-NN vectors): so per serving key only the {@link
 * #MAX_VERSIONS_HELD} most recently used loaded versions stay, the current one and the one before
 * it, which threads still scoring with the previous side-input value ask for during a switch (the
 * last good detector is always one of them: it is the newest loaded). An evicted version asked for
 * again is loaded again.
 */
final class LoadedDetectors {
  private static final Logger LOG = LoggerFactory.getLogger(LoadedDetectors.class);
  private static final Counter LOAD_FAILURES =
      Metrics.counter(LoadedDetectors.class, "model_load_failures");
  private static final Counter SWAPS =
      Metrics.counter(LoadedDetectors.class, "model_versions_loaded");

  /** The release to use, or null with the reason none is usable and the exception behind it. */
  record Selection(ModelRelease release, String problem, Exception cause) {
    /** The release's global model, or null when none is usable. */
    AnomalyDetector detector() {
      return release == null ? null : release.global();
    }
  }

  private record Loaded(
      ModelRelease release, String problem, Exception cause, long loadedAtNanos) {}

  static final java.time.Duration RETRY_AFTER = java.time.Duration.ofMinutes(1);

  static final int MAX_VERSIONS_HELD = 2;

  private static final ConcurrentHashMap<String, Loaded> BY_VERSION = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, ModelRelease> LAST_GOOD =
      new ConcurrentHashMap<>();

  /** Per serving key, the versions with a loaded detector, least recently used first. */
  private static final ConcurrentHashMap<String, LinkedHashSet<String>> HELD =
      new ConcurrentHashMap<>();

  private LoadedDetectors() {}

  static Selection forVersion(
      String versionKey,
      ModelLocation location,
      String embeddingModelId,
      int dimension,
      AnomalyDetector.Overrides overrides) {
    String servingKey = servingKey(location, embeddingModelId, overrides);
    String cacheKey = servingKey + "|" + versionKey;
    Loaded loaded =
        BY_VERSION.compute(
            cacheKey,
            (k, previous) ->
                previous != null
                        && (previous.release() != null
                            || System.nanoTime() - previous.loadedAtNanos() < RETRY_AFTER.toNanos())
                    ? previous
                    : load(
                        servingKey, versionKey, location, embeddingModelId, dimension, overrides));
    if (loaded.release() != null) {
      holdOnly(servingKey, versionKey);
      return new Selection(loaded.release(), null, null);
    }
    ModelRelease fallback = LAST_GOOD.get(servingKey);
    return fallback != null
        ? new Selection(fallback, null, null)
        : new Selection(null, loaded.problem(), loaded.cause());
  }

  /**
   * Adds a release the launch has already loaded and checked, so that the workers of this JVM (the
   * DirectRunner's, an embedded Flink cluster's) score their first messages without reading and
   * verifying it a second time. Elsewhere (Dataflow's workers) it is loaded on first use as ever.
   */
  static void add(
      String versionKey,
      ModelLocation location,
      String embeddingModelId,
      AnomalyDetector.Overrides overrides,
      ModelRelease release) {
    String servingKey = servingKey(location, embeddingModelId, overrides);
    BY_VERSION.putIfAbsent(
        servingKey + "|" + versionKey, new Loaded(release, null, null, System.nanoTime()));
    LAST_GOOD.putIfAbsent(servingKey, release);
    holdOnly(servingKey, versionKey);
    logServing(release);
  }

  private static void logServing(ModelRelease release) {
    LOG.info(
        "serving model version {} ({}, {} group models)",
        release.version(),
        release.global().describeDecision(),
        release.groupCount());
  }

  private static String servingKey(
      ModelLocation location, String embeddingModelId, AnomalyDetector.Overrides overrides) {
    return location + "|" + embeddingModelId + "|" + overrides;
  }

  /** Marks {@code versionKey} as used now and unloads the versions beyond the most recent two. */
  private static void holdOnly(String servingKey, String versionKey) {
    LinkedHashSet<String> held = HELD.computeIfAbsent(servingKey, k -> new LinkedHashSet<>());
    synchronized (held) {
      held.remove(versionKey);
      held.add(versionKey);
      while (held.size() > MAX_VERSIONS_HELD) {
        String oldest = held.iterator().next();
        held.remove(oldest);
        BY_VERSION.remove(servingKey + "|" + oldest);
        LOG.info("unloaded model version {}: only the {} most recent stay", oldest, held.size());
      }
    }
  }

  /** The versions held with a loaded detector for this serving key, least recently used first. */
  static List<String> heldVersions(
      ModelLocation location, String embeddingModelId, AnomalyDetector.Overrides overrides) {
    LinkedHashSet<String> held =
        HELD.getOrDefault(servingKey(location, embeddingModelId, overrides), new LinkedHashSet<>());
    synchronized (held) {
      return List.copyOf(held);
    }
  }

  private static Loaded load(
      String servingKey,
      String versionKey,
      ModelLocation location,
      String embeddingModelId,
      int dimension,
      AnomalyDetector.Overrides overrides) {
    try {
      ModelRelease release =
          ModelRelease.load(location.load(versionKey), embeddingModelId, dimension, overrides);
      LAST_GOOD.put(servingKey, release);
      SWAPS.inc();
      logServing(release);
      return new Loaded(release, null, null, System.nanoTime());
    } catch (Exception e) {
      LOAD_FAILURES.inc();
      LOG.error(
          "cannot load model version {} of {}; keeping the current one: {}",
          versionKey,
          location,
          e.toString());
      return new Loaded(
          null,
          "version " + versionKey + " of " + location + ": " + e.getMessage(),
          e,
          System.nanoTime());
    }
  }
}
