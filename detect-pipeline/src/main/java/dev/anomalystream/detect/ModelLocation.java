package dev.anomalystream.detect;

import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.model.StoredModel;
import java.io.IOException;
import java.io.Serializable;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions;

/**
 * Where the detector's model comes from: one fixed version directory, or a model store ({@code
 * <root>/<modelName>/}) whose {@code LATEST} pointer names the version to serve and may move while
 * the job runs. A version is referred to by a short key (the version name, or the fixed directory),
 * which is what the model side input carries.
 */
public final class ModelLocation implements Serializable {
  private final String versionDirectory;
  private final String storeRoot;
  private final String modelName;

  private ModelLocation(String versionDirectory, String storeRoot, String modelName) {
    this.versionDirectory = versionDirectory;
    this.storeRoot = storeRoot;
    this.modelName = modelName;
  }

  /**
   * A directory holding {@code metadata.json} is a fixed version; anything else is a store root.
   */
  public static ModelLocation of(String model, String modelName) throws IOException {
    String metadata =
        FileSystems.matchNewResource(model, true)
            .resolve(ModelStore.METADATA_FILE, ResolveOptions.StandardResolveOptions.RESOLVE_FILE)
            .toString();
    MatchResult match = FileSystems.match(metadata);
    boolean isVersion = match.status() == MatchResult.Status.OK && !match.metadata().isEmpty();
    return isVersion
        ? new ModelLocation(model, null, null)
        : new ModelLocation(null, model, modelName);
  }

  /** True when a newer version can appear (a store with a LATEST pointer). */
  public boolean followsLatest() {
    return storeRoot != null;
  }

  /** The key of the version to serve now: the fixed directory, or the version LATEST names. */
  public String currentVersionKey() throws IOException {
    if (versionDirectory != null) {
      return versionDirectory;
    }
    ModelStore store = ModelStore.open(storeRoot, modelName);
    return store
        .readLatest()
        .orElseThrow(
            () ->
                new IOException(
                    "no model to serve: "
                        + store.location()
                        + ModelStore.LATEST_FILE
                        + " does not exist; train and publish one first (scripts/train)"));
  }

  /**
   * The key of the version a detection row names (its {@code model_version}): the version itself in
   * a store, the fixed directory otherwise.
   */
  public String versionKeyFor(String version) {
    return versionDirectory != null ? versionDirectory : version;
  }

  /** Loads and verifies (checksums) the version a key names. */
  public StoredModel load(String versionKey) throws IOException {
    return versionDirectory != null
        ? ModelStore.loadDirectory(versionDirectory)
        : ModelStore.open(storeRoot, modelName).load(versionKey);
  }

  @Override
  public String toString() {
    return versionDirectory != null
        ? versionDirectory
        : storeRoot + " (model " + modelName + ", LATEST)";
  }
}
