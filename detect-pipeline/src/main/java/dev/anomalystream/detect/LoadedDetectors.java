package dev.anomalystream.detect;

import dev.anomalystream.core.model.AnomalyDetector;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models this JVM has loaded, shared by every scoring thread: each version is read and verified
 * once, however many DoFn instances ask. A version that fails to load (missing, corrupt, trained on
 * another embedding) is logged and counted, the last version that did load keeps serving, and the
 * failed one is tried again after {@link #RETRY_AFTER} (a storage hiccup heals). The last good
 * detector is kept per model location, embedding and overrides, the cache key without the version,
 * so two detectors in one JVM never fall back to each other's model.
 */
final class LoadedDetectors {
  private static final Logger LOG = LoggerFactory.getLogger(LoadedDetectors.class);
  private static final Counter LOAD_FAILURES =
      Metrics.counter(LoadedDetectors.class, "model_load_failures");
  private static final Counter SWAPS =
      Metrics.counter(LoadedDetectors.class, "model_versions_loaded");

  /** The detector to use, or null with the reason none is usable and the exception behind it. */
  record Selection(AnomalyDetector detector, String problem, Exception cause) {}

  private record Loaded(
      AnomalyDetector detector, String problem, Exception cause, long loadedAtNanos) {}

  static final java.time.Duration RETRY_AFTER = java.time.Duration.ofMinutes(1);

  private static final ConcurrentHashMap<String, Loaded> BY_VERSION = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, AnomalyDetector> LAST_GOOD =
      new ConcurrentHashMap<>();

  private LoadedDetectors() {}

  static Selection forVersion(
      String versionKey,
      ModelLocation location,
      String embeddingModelId,
      int dimension,
      AnomalyDetector.Overrides overrides) {
    String servingKey = location + "|" + embeddingModelId + "|" + overrides;
    String cacheKey = servingKey + "|" + versionKey;
    Loaded loaded =
        BY_VERSION.compute(
            cacheKey,
            (k, previous) ->
                previous != null
                        && (previous.detector() != null
                            || System.nanoTime() - previous.loadedAtNanos() < RETRY_AFTER.toNanos())
                    ? previous
                    : load(
                        servingKey, versionKey, location, embeddingModelId, dimension, overrides));
    if (loaded.detector() != null) {
      return new Selection(loaded.detector(), null, null);
    }
    AnomalyDetector fallback = LAST_GOOD.get(servingKey);
    return fallback != null
        ? new Selection(fallback, null, null)
        : new Selection(null, loaded.problem(), loaded.cause());
  }

  private static Loaded load(
      String servingKey,
      String versionKey,
      ModelLocation location,
      String embeddingModelId,
      int dimension,
      AnomalyDetector.Overrides overrides) {
    try {
      AnomalyDetector detector =
          AnomalyDetector.load(location.load(versionKey), embeddingModelId, dimension, overrides);
      LAST_GOOD.put(servingKey, detector);
      SWAPS.inc();
      LOG.info(
          "serving model version {} ({})", detector.modelVersion(), detector.describeDecision());
      return new Loaded(detector, null, null, System.nanoTime());
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
