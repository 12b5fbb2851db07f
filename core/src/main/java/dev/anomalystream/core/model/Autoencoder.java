package dev.anomalystream.core.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;

/**
 * A version's autoencoder as the detector serves it: an ONNX graph (a stack of dense layers from
 * the embedding back to the embedding) run by ONNX Runtime, and the reconstruction error of each
 * vector through it, the {@link ScoreKind#AUTOENCODER} score. The graph is trained and written by
 * the training side (train-pipeline's {@code AutoencoderTrainer}, on DJL's PyTorch engine), so
 * detect workers need ONNX Runtime only, which they already run the embedder on.
 *
 * <p>Thread-safe: ONNX Runtime allows concurrent {@code run} calls on one session. The session
 * lives as long as the JVM holds the detector (one per version, as for the other parts of a model).
 */
public final class Autoencoder {
  /** The file in a model version; versions trained without an autoencoder have none. */
  public static final String FILE = "autoencoder.onnx";

  /** The graph's input: L2-normalised embeddings, [rows, dimension]. */
  public static final String INPUT = "embedding";

  /** The graph's output: their reconstructions, [rows, dimension]. */
  public static final String OUTPUT = "reconstruction";

  /** Rows per ONNX Runtime call, so a large evaluation does not build one huge tensor. */
  private static final int BATCH = 1024;

  /**
   * An autoencoder just trained, with how it was trained, for the version's metadata.
   *
   * @param network the network as the detector will serve it
   * @param description how it was trained
   */
  public record Trained(Autoencoder network, ModelMetadata.AutoencoderRecord description) {}

  private final byte[] onnx;
  private final OrtSession session;
  private final int dimension;

  private Autoencoder(byte[] onnx, OrtSession session, int dimension) {
    this.onnx = onnx;
    this.session = session;
    this.dimension = dimension;
  }

  /**
   * Opens an autoencoder graph.
   *
   * @param source where the bytes came from, for messages
   * @throws IOException naming the source when ONNX Runtime cannot load the graph, or it does not
   *     map {@value #INPUT} [rows, d] to {@value #OUTPUT} [rows, d]
   */
  public static Autoencoder fromOnnx(byte[] onnx, String source) throws IOException {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      // a few dense layers: one thread each call is enough, and workers run the embedder beside it
      options.setIntraOpNumThreads(1);
      OrtSession session = environment.createSession(onnx, options);
      int input = width(session.getInputInfo(), INPUT, source);
      int output = width(session.getOutputInfo(), OUTPUT, source);
      if (input != output) {
        session.close();
        throw new IOException(
            source + " maps " + input + "-dimensional vectors to " + output + "-dimensional ones");
      }
      return new Autoencoder(onnx.clone(), session, input);
    } catch (OrtException e) {
      throw new IOException("cannot load the autoencoder " + source + ": " + e.getMessage(), e);
    }
  }

  private static int width(Map<String, NodeInfo> nodes, String name, String source)
      throws IOException {
    NodeInfo node = nodes.get(name);
    if (node == null || !(node.getInfo() instanceof TensorInfo tensor)) {
      throw new IOException(source + " has no tensor '" + name + "'; it has " + nodes.keySet());
    }
    long[] shape = tensor.getShape();
    if (shape.length != 2 || shape[1] < 1) {
      throw new IOException(
          source + "'s '" + name + "' has shape " + Arrays.toString(shape) + ", not [rows, d]");
    }
    return (int) shape[1];
  }

  public int dimension() {
    return dimension;
  }

  /** The reconstructions of {@code vectors}, row by row. */
  public float[][] reconstruct(float[][] vectors) {
    float[][] out = new float[vectors.length][];
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    for (int from = 0; from < vectors.length; from += BATCH) {
      float[][] batch = Arrays.copyOfRange(vectors, from, Math.min(vectors.length, from + BATCH));
      for (float[] row : batch) {
        if (row.length != dimension) {
          throw new IllegalArgumentException(
              "the autoencoder takes " + dimension + "-dimensional vectors, got " + row.length);
        }
      }
      try (OnnxTensor input = OnnxTensor.createTensor(environment, batch);
          OrtSession.Result result = session.run(Map.of(INPUT, input))) {
        float[][] reconstructed = (float[][]) result.get(0).getValue();
        System.arraycopy(reconstructed, 0, out, from, reconstructed.length);
      } catch (OrtException e) {
        throw new IllegalStateException("the autoencoder failed: " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** The {@link ScoreKind#AUTOENCODER} score of each of {@code vectors}. */
  public double[] score(float[][] vectors) {
    float[][] reconstructions = reconstruct(vectors);
    double[] scores = new double[vectors.length];
    for (int i = 0; i < vectors.length; i++) {
      scores[i] = reconstructionError(vectors[i], reconstructions[i]);
    }
    return scores;
  }

  /**
   * The squared Euclidean distance between a vector and its reconstruction, summed in double so the
   * training side computes the same number from its own reconstruction.
   */
  public static double reconstructionError(float[] vector, float[] reconstruction) {
    double sum = 0;
    for (int j = 0; j < vector.length; j++) {
      double difference = (double) vector[j] - reconstruction[j];
      sum += difference * difference;
    }
    return sum;
  }

  /** Writes the ONNX graph, as {@link #fromOnnx} reads it. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(onnx);
  }
}
