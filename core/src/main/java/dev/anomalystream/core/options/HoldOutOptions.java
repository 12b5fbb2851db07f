package dev.anomalystream.core.options;

import dev.anomalystream.core.model.ModelTrainer;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The seeded slice of normal rows held out of the fit to calibrate the threshold; the trainer, the
 * retraining pipeline and the grid search hold out the same rows for the same flags.
 */
public interface HoldOutOptions extends PipelineOptions {
  @Description("Share of the normal rows held out of the fit to calibrate the threshold")
  @Default.Double(ModelTrainer.DEFAULT_CALIBRATION_FRACTION)
  double getCalibrationFraction();

  void setCalibrationFraction(double value);

  @Description("Seed of the calibration hold-out")
  @Default.Long(ModelTrainer.DEFAULT_SEED)
  long getSeed();

  void setSeed(long value);
}
