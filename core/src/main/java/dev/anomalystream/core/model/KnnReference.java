package dev.anomalystream.core.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The kNN score's reference vectors when they are not the HDBSCAN model's training points: a
 * version trained with {@code --clusterSampleSize} fits HDBSCAN on a sample but keeps more rows (by
 * default every fitted row) as the neighbours the kNN score averages over. Stored as {@value
 * #FILE}; a version without it scores against the HDBSCAN training points, as before.
 */
public final class KnnReference {
  /** The file in a model version that holds the reference. */
  public static final String FILE = "knn-reference.bin";

  private static final int MAGIC = 0x4b4e4e52; // "KNNR"
  private static final int FORMAT_VERSION = 1;

  private KnnReference() {}

  /** Writes unit vectors of one dimension, row after row, big-endian floats. */
  public static void writeTo(float[][] vectors, DataOutputStream out) throws IOException {
    if (vectors.length == 0) {
      throw new IllegalArgumentException("a kNN reference needs at least one vector");
    }
    int dimension = vectors[0].length;
    out.writeInt(MAGIC);
    out.writeInt(FORMAT_VERSION);
    out.writeInt(vectors.length);
    out.writeInt(dimension);
    ByteBuffer row = ByteBuffer.allocate(Float.BYTES * dimension);
    for (float[] vector : vectors) {
      if (vector.length != dimension) {
        throw new IllegalArgumentException(
            "a reference vector has " + vector.length + " dimensions, the first " + dimension);
      }
      row.clear();
      row.asFloatBuffer().put(vector);
      out.write(row.array());
    }
  }

  /**
   * Reads a reference written by {@link #writeTo}.
   *
   * @param dimension the dimension the version's embedding has
   * @param source the file, for messages
   */
  public static float[][] readFrom(DataInputStream in, int dimension, String source)
      throws IOException {
    try {
      if (in.readInt() != MAGIC) {
        throw new IOException(source + " is not a kNN reference");
      }
      int format = in.readInt();
      if (format != FORMAT_VERSION) {
        throw new IOException(
            source + " has kNN reference format " + format + ", this code reads " + FORMAT_VERSION);
      }
      int count = in.readInt();
      int stored = in.readInt();
      if (count < 1 || stored != dimension) {
        throw new IOException(
            source
                + " holds "
                + count
                + " vectors of dimension "
                + stored
                + ", the model's dimension is "
                + dimension);
      }
      float[][] vectors = new float[count][dimension];
      byte[] row = new byte[Float.BYTES * dimension];
      for (float[] vector : vectors) {
        in.readFully(row);
        ByteBuffer.wrap(row).asFloatBuffer().get(vector);
      }
      if (in.read() != -1) {
        throw new IOException(source + " has bytes after its " + count + " vectors");
      }
      return vectors;
    } catch (EOFException e) {
      throw new IOException(source + " is truncated: it ends inside the kNN reference", e);
    }
  }
}
