package dev.anomalystream.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.anomalystream.core.model.Autoencoder;
import dev.anomalystream.core.model.ModelMetadata;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the autoencoder of a model version on DJL's PyTorch engine and hands it over as the ONNX
 * graph the detector serves ({@link AutoencoderOnnx}): dense layers from the embedding to a narrow
 * code and back, ReLU after each hidden layer but the code layer (tanh), none after the output;
 * Adam on the mean squared reconstruction error, in seeded shuffled mini-batches.
 *
 * <p>Only the training side depends on DJL and PyTorch: the detector needs ONNX Runtime only.
 */
public final class AutoencoderTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(AutoencoderTrainer.class);

  private static final String ENGINE = "PyTorch";

  /**
   * PyTorch's threads, read once when the engine starts. One each unless the user set them: the
   * layers are small, and with PyTorch's default (one intra-op thread per core) an epoch over
   * 14,400 vectors took 100-130 s instead of 6 s on the 2-core machine under load
   * (docs/QUALITY.md).
   */
  private static final String[] THREAD_PROPERTIES = {
    "ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads"
  };

  /**
   * How to train.
   *
   * @param hiddenLayers widths of the hidden layers, encoder first; the middle one is the code
   * @param epochs passes over the vectors
   * @param batchSize vectors per Adam step
   * @param learningRate Adam's learning rate
   * @param seed seeds the initial weights and the batch order
   */
  public record Settings(
      List<Integer> hiddenLayers, int epochs, int batchSize, double learningRate, long seed)
      implements Serializable {
    public Settings {
      hiddenLayers = List.copyOf(hiddenLayers);
      if (hiddenLayers.isEmpty() || hiddenLayers.stream().anyMatch(width -> width < 1)) {
        throw new IllegalArgumentException(
            "the autoencoder needs at least one hidden layer, each at least 1 wide: "
                + hiddenLayers);
      }
      if (epochs < 1 || batchSize < 1) {
        throw new IllegalArgumentException(
            "epochs and batch size must be at least 1, were " + epochs + " and " + batchSize);
      }
      if (!(learningRate > 0 && Double.isFinite(learningRate))) {
        throw new IllegalArgumentException(
            "the learning rate must be positive, was " + learningRate);
      }
    }

    /** The activation after hidden layer {@code i}: tanh for the code layer, else ReLU. */
    String activation(int i) {
      return i == hiddenLayers.size() / 2 ? "tanh" : "relu";
    }
  }

  private AutoencoderTrainer() {}

  /** Trains on {@code vectors} and returns the network as the detector will serve it. */
  public static Autoencoder.Trained train(float[][] vectors, Settings settings) throws IOException {
    try (Network network = Network.fit(vectors, settings)) {
      return network.export();
    }
  }

  /** A trained network still held by the engine; close it to free the engine's memory. */
  static final class Network implements AutoCloseable {
    private final Model model;
    private final List<Linear> layers;
    private final Settings settings;
    private final int dimension;
    private final double finalLoss;
    private final double seconds;

    private Network(
        Model model,
        List<Linear> layers,
        Settings settings,
        int dimension,
        double finalLoss,
        double seconds) {
      this.model = model;
      this.layers = layers;
      this.settings = settings;
      this.dimension = dimension;
      this.finalLoss = finalLoss;
      this.seconds = seconds;
    }

    static Network fit(float[][] vectors, Settings settings) {
      if (vectors.length == 0) {
        throw new IllegalArgumentException("the autoencoder needs at least one vector to fit");
      }
      long start = System.nanoTime();
      int dimension = vectors[0].length;
      for (String property : THREAD_PROPERTIES) {
        if (System.getProperty(property) == null) {
          System.setProperty(property, "1");
        }
      }
      Engine.getEngine(ENGINE).setRandomSeed((int) settings.seed());
      List<Linear> layers = new ArrayList<>();
      SequentialBlock block = new SequentialBlock();
      for (int i = 0; i < settings.hiddenLayers().size(); i++) {
        Linear layer = Linear.builder().setUnits(settings.hiddenLayers().get(i)).build();
        layers.add(layer);
        block.add(layer);
        block.add("tanh".equals(settings.activation(i)) ? Activation::tanh : Activation::relu);
      }
      Linear output = Linear.builder().setUnits(dimension).build();
      layers.add(output);
      block.add(output);

      Model model = Model.newInstance("autoencoder", ENGINE);
      model.setBlock(block);
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.l2Loss())
              .optOptimizer(
                  Optimizer.adam()
                      .optLearningRateTracker(Tracker.fixed((float) settings.learningRate()))
                      .build());
      int[] order = new int[vectors.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Random random = new Random(settings.seed());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(settings.batchSize(), dimension));
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
          shuffle(order, random);
          double sum = 0;
          for (int from = 0; from < order.length; from += settings.batchSize()) {
            int to = Math.min(order.length, from + settings.batchSize());
            try (NDManager batchManager = trainer.getManager().newSubManager();
                GradientCollector collector = trainer.newGradientCollector()) {
              NDArray batch = rows(batchManager, vectors, order, from, to);
              NDArray reconstruction = trainer.forward(new NDList(batch)).singletonOrThrow();
              NDArray loss = reconstruction.sub(batch).square().mean();
              collector.backward(loss);
              sum += loss.getFloat() * (to - from);
            }
            trainer.step();
          }
          LOG.info(
              "autoencoder epoch {}/{}: mean squared error per coordinate {}",
              epoch,
              settings.epochs(),
              String.format(Locale.ROOT, "%.3e", sum / vectors.length));
        }
      }
      double finalLoss = meanSquaredError(vectors, reconstruct(model, dimension, vectors));
      return new Network(
          model, layers, settings, dimension, finalLoss, (System.nanoTime() - start) / 1e9);
    }

    private static void shuffle(int[] order, Random random) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int swap = order[i];
        order[i] = order[j];
        order[j] = swap;
      }
    }

    private static NDArray rows(
        NDManager manager, float[][] vectors, int[] order, int from, int to) {
      int dimension = vectors[0].length;
      float[] flat = new float[(to - from) * dimension];
      for (int i = from; i < to; i++) {
        System.arraycopy(
            vectors[order == null ? i : order[i]], 0, flat, (i - from) * dimension, dimension);
      }
      return manager.create(flat, new Shape(to - from, dimension));
    }

    private static double meanSquaredError(float[][] vectors, float[][] reconstructions) {
      double sum = 0;
      for (int i = 0; i < vectors.length; i++) {
        sum += Autoencoder.reconstructionError(vectors[i], reconstructions[i]);
      }
      return sum / ((double) vectors.length * vectors[0].length);
    }

    /** The engine's reconstructions of {@code vectors} (inference mode). */
    float[][] reconstruct(float[][] vectors) {
      return reconstruct(model, dimension, vectors);
    }

    private static float[][] reconstruct(Model model, int dimension, float[][] vectors) {
      float[][] out = new float[vectors.length][];
      int batchSize = 1024;
      for (int from = 0; from < vectors.length; from += batchSize) {
        int to = Math.min(vectors.length, from + batchSize);
        try (NDManager manager = model.getNDManager().newSubManager()) {
          NDArray input = rows(manager, vectors, null, from, to);
          float[] flat =
              model
                  .getBlock()
                  .forward(new ParameterStore(manager, false), new NDList(input), false)
                  .singletonOrThrow()
                  .toFloatArray();
          for (int i = from; i < to; i++) {
            out[i] = new float[dimension];
            System.arraycopy(flat, (i - from) * dimension, out[i], 0, dimension);
          }
        }
      }
      return out;
    }

    /** The reconstruction errors the engine computes, as {@link Autoencoder#score} defines them. */
    double[] errors(float[][] vectors) {
      float[][] reconstructions = reconstruct(vectors);
      double[] errors = new double[vectors.length];
      for (int i = 0; i < vectors.length; i++) {
        errors[i] = Autoencoder.reconstructionError(vectors[i], reconstructions[i]);
      }
      return errors;
    }

    /** The network as an ONNX graph loaded in ONNX Runtime, with how it was trained. */
    Autoencoder.Trained export() throws IOException {
      List<AutoencoderOnnx.Dense> dense = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) {
        Linear layer = layers.get(i);
        NDArray weight = layer.getParameters().get("weight").getArray();
        NDArray bias = layer.getParameters().get("bias").getArray();
        long[] shape = weight.getShape().getShape();
        String activation = i < layers.size() - 1 ? settings.activation(i) : null;
        dense.add(
            new AutoencoderOnnx.Dense(
                (int) shape[0],
                (int) shape[1],
                weight.toFloatArray(),
                bias.toFloatArray(),
                activation));
      }
      byte[] onnx = AutoencoderOnnx.write(dense);
      List<Integer> widths = new ArrayList<>();
      widths.add(dimension);
      widths.addAll(settings.hiddenLayers());
      widths.add(dimension);
      List<String> activations = new ArrayList<>();
      for (int i = 0; i < settings.hiddenLayers().size(); i++) {
        activations.add(settings.activation(i));
      }
      return new Autoencoder.Trained(
          Autoencoder.fromOnnx(onnx, "the autoencoder just trained"),
          new ModelMetadata.AutoencoderRecord(
              widths,
              activations,
              "squared",
              settings.epochs(),
              settings.batchSize(),
              settings.learningRate(),
              settings.seed(),
              finalLoss,
              seconds,
              ENGINE + " " + Engine.getEngine(ENGINE).getVersion() + " (DJL)"));
    }

    @Override
    public void close() {
      model.close();
    }
  }
}
