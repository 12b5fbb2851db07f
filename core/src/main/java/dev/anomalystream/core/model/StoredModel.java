package dev.anomalystream.core.model;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.Map;
import java.util.Set;

/**
 * A model version read from a {@link ModelStore} whose files all matched their recorded checksums;
 * its files are held in memory (a model is tens of megabytes at most).
 */
public final class StoredModel {
  private final ModelMetadata metadata;
  private final String location;
  private final Map<String, byte[]> files;
  private final Map<String, StoredModel> groups;

  StoredModel(
      ModelMetadata metadata,
      String location,
      Map<String, byte[]> files,
      Map<String, StoredModel> groups) {
    this.metadata = metadata;
    this.location = location;
    this.files = Map.copyOf(files);
    this.groups = Map.copyOf(groups);
  }

  /** The group models of a release (group value → model), each checked; empty without groups. */
  public Map<String, StoredModel> groups() {
    return groups;
  }

  /**
   * The files as writers of their stored bytes (without metadata.json and the groups manifest), so
   * a model can be stored again unchanged in a later release.
   */
  public Map<String, ArtifactWriter> artifacts() {
    Map<String, ArtifactWriter> artifacts = new java.util.LinkedHashMap<>();
    files.forEach(
        (name, content) -> {
          if (!name.equals(GroupManifest.FILE)) {
            artifacts.put(name, out -> out.write(content));
          }
        });
    return artifacts;
  }

  public ModelMetadata metadata() {
    return metadata;
  }

  /** The version directory it was read from, for messages. */
  public String location() {
    return location;
  }

  public Set<String> fileNames() {
    return files.keySet();
  }

  /**
   * Opens one of the version's files.
   *
   * @throws IllegalArgumentException naming the file and the version when it has no such file
   */
  public DataInputStream open(String fileName) {
    byte[] content = files.get(fileName);
    if (content == null) {
      throw new IllegalArgumentException(
          "model version " + location + " has no file " + fileName + "; it has " + fileNames());
    }
    return new DataInputStream(new ByteArrayInputStream(content));
  }
}
