package dev.anomalystream.core.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Where trained versions are published: a model store root and the model's name in it. */
public interface ModelStoreOptions extends ModelNameOptions {
  @Description(
      "Model store root (local or gs://): new versions go to <modelRoot>/<modelName>/ and LATEST"
          + " points at the newest")
  @Validation.Required
  String getModelRoot();

  void setModelRoot(String value);
}
