package dev.anomalystream.detect;

import dev.anomalystream.core.options.EmbeddingOptions;
import dev.anomalystream.core.options.ModelNameOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of scripts/evaluate-stream: the stream view's windows over a file, bounded. */
public interface EvaluateStreamOptions extends LearningOptions, EmbeddingOptions, ModelNameOptions {
  @Description(
      "Model store root (its LATEST version is used) or one version's directory, as for the"
          + " detector's --model")
  @Validation.Required
  String getModel();

  void setModel(String value);

  @Description(
      "Stream file: JSON lines {uid, text, event_time (ISO-8601), label (optional)}; malformed"
          + " lines are reported in <output>/errors and skipped")
  @Validation.Required
  String getStream();

  void setStream(String value);

  @Description(
      "Directory for rows/ (each message's row with its window_score), windows/, topics/,"
          + " window-scores/ and errors/ (dead letters), as newline-delimited JSON")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Messages with more characters than this are dead letters, as in the detector")
  @Default.Integer(5000)
  int getMaxChars();

  void setMaxChars(int value);
}
