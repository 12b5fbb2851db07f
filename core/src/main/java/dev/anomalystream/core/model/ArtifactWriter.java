package dev.anomalystream.core.model;

import java.io.IOException;
import java.io.OutputStream;

/** Writes one file of a model version; the store computes its checksum while it is written. */
@FunctionalInterface
public interface ArtifactWriter {
  void writeTo(OutputStream out) throws IOException;
}
