package dev.anomalystream.train;

import dev.anomalystream.core.testing.FlexTemplateMetadata;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** config/flex-templates/train-metadata.json and {@link TrainOptions} agree. */
class TrainTemplateMetadataTest {
  @Test
  void templateParametersAreTheRetrainingOptions() throws Exception {
    FlexTemplateMetadata.of("train", TrainOptions.class)
        .assertAgrees(
            Map.of(
                "historyTable",
                "the scheduled retraining learns from the detector's BigQuery table"),
            Map.of("historyFiles", "the detector's local NDJSON rows: for runs on one machine"));
  }
}
