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

  StoredModel(ModelMetadata metadata, String location, Map<String, byte[]> files) {
    this.metadata = metadata;
    this.location = location;
    this.files = Map.copyOf(files);
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
