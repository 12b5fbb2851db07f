package dev.anomalystream.train;

import dev.anomalystream.core.model.ScoreKind;
import dev.anomalystream.core.options.TrainingOptions;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * How the autoencoder of a version is trained ({@link AutoencoderTrainer}); shared by {@link
 * TrainModel} and the retraining pipeline. Defaults chosen on the development sets
 * (docs/QUALITY.md, "Autoencoder").
 */
public interface AutoencoderOptions extends TrainingOptions {
  @Description(
      "Also train an autoencoder (stored as autoencoder.onnx, its score calibrated beside the"
          + " others) when the decision is on another score; --score=autoencoder always trains one")
  @Default.Boolean(false)
  boolean getAutoencoder();

  void setAutoencoder(boolean value);

  @Description(
      "Widths of the autoencoder's hidden layers, encoder first; the middle one is the code")
  @Default.String("128,32,128")
  String getAutoencoderLayers();

  void setAutoencoderLayers(String value);

  @Description("Passes of the autoencoder's training over the fitted vectors")
  @Default.Integer(20)
  int getAutoencoderEpochs();

  void setAutoencoderEpochs(int value);

  @Description("Vectors per step of the autoencoder's training")
  @Default.Integer(256)
  int getAutoencoderBatchSize();

  void setAutoencoderBatchSize(int value);

  @Description("Adam learning rate of the autoencoder's training")
  @Default.Double(0.001)
  double getAutoencoderLearningRate();

  void setAutoencoderLearningRate(double value);

  /**
   * The autoencoder's training settings (seeded with {@code --seed}), or null when the version gets
   * none: neither decided on nor asked for.
   */
  static AutoencoderTrainer.Settings autoencoderSettings(AutoencoderOptions options) {
    if (!options.getAutoencoder() && options.getScore() != ScoreKind.AUTOENCODER) {
      return null;
    }
    List<Integer> layers;
    try {
      layers =
          Arrays.stream(options.getAutoencoderLayers().split(","))
              .map(String::trim)
              .map(Integer::valueOf)
              .toList();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--autoencoderLayers takes comma-separated widths such as 128,32,128, was '"
              + options.getAutoencoderLayers()
              + "'");
    }
    return new AutoencoderTrainer.Settings(
        layers,
        options.getAutoencoderEpochs(),
        options.getAutoencoderBatchSize(),
        options.getAutoencoderLearningRate(),
        options.getSeed());
  }
}
