package dev.anomalystream.detect;

import dev.anomalystream.core.model.DriftReference;
import dev.anomalystream.core.model.StoredModel;
import dev.anomalystream.core.text.TermStatistics;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream view's parts of a model version (its drift reference and term statistics), read once
 * per JVM and version. A version without them (trained before they existed), or one that cannot be
 * read, gives windows without a drift decision and topics without terms: the window rows say so by
 * their empty drift fields, and the log says why once.
 */
final class StreamReferences {
  private static final Logger LOG = LoggerFactory.getLogger(StreamReferences.class);
  private static final Counter LOAD_FAILURES =
      Metrics.counter(StreamReferences.class, "stream_reference_load_failures");

  /** Versions are few and small next to the detector's own cache; nothing is evicted. */
  private static final ConcurrentHashMap<String, Loaded> BY_VERSION = new ConcurrentHashMap<>();

  /**
   * A version's references; either may be null.
   *
   * @param drift its drift reference
   * @param terms its term statistics
   */
  record Loaded(DriftReference drift, TermStatistics terms) {
    static final Loaded NONE = new Loaded(null, null);
  }

  private StreamReferences() {}

  static Loaded forVersion(ModelLocation location, String version) {
    if (version == null) {
      return Loaded.NONE;
    }
    String key = location.versionKeyFor(version);
    String cacheKey = location + "|" + key;
    Loaded cached = BY_VERSION.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    Loaded loaded = load(location, key);
    if (loaded != null) {
      BY_VERSION.put(cacheKey, loaded);
      return loaded;
    }
    return Loaded.NONE;
  }

  /** The version's references, or null when it cannot be read now (tried again next window). */
  private static Loaded load(ModelLocation location, String key) {
    try {
      StoredModel stored = location.load(key);
      Loaded loaded =
          new Loaded(
              DriftReference.load(stored).orElse(null), TermStatistics.load(stored).orElse(null));
      if (loaded.drift() == null) {
        LOG.warn(
            "model version {} has no {}: its windows get no drift decision (retrain to add one)",
            key,
            DriftReference.FILE);
      }
      return loaded;
    } catch (Exception e) {
      LOAD_FAILURES.inc();
      LOG.warn(
          "cannot read the stream view's references of model version {} (trying again with the"
              + " next window): {}",
          key,
          e.toString());
      return null;
    }
  }
}
