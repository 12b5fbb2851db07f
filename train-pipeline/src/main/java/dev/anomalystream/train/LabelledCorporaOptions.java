package dev.anomalystream.train;

import java.util.List;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** The labelled files a model is measured on: {@code scripts/evaluate} and {@code scripts/tune}. */
public interface LabelledCorporaOptions extends PipelineOptions {
  @Description("Corpus file of normal messages: the model should pass them")
  @Validation.Required
  String getNormal();

  void setNormal(String value);

  @Description("Corpus files of anomalous messages (comma-separated): the model should flag them")
  @Validation.Required
  List<String> getAnomalous();

  void setAnomalous(List<String> value);
}
