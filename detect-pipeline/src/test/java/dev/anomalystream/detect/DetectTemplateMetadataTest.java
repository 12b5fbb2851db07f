package dev.anomalystream.detect;

import dev.anomalystream.core.testing.FlexTemplateMetadata;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** config/flex-templates/detect-metadata.json and {@link DetectOptions} agree. */
class DetectTemplateMetadataTest {
  @Test
  void templateParametersAreTheDetectorsOptions() throws Exception {
    FlexTemplateMetadata.of("detect", DetectOptions.class)
        .assertAgrees(
            Map.of(
                "outputTable",
                "on Dataflow rows go to BigQuery: the NDJSON default is the worker's own disk"),
            Map.of(
                "topic",
                    "a job reads a subscription it owns; --topic (a subscription made per run) is"
                        + " for local runs",
                "outputDirectory", "local NDJSON output; on workers it would be lost",
                "fileFlushSeconds", "only for the NDJSON output",
                "outboxDirectory", "local .eml digests; on workers they would be lost",
                "smtpPasswordEnv",
                    "a template cannot set the workers' environment: use smtpPasswordSecret",
                "smtpPasswordFile",
                    "workers have no such file (a local run's way): use smtpPasswordSecret",
                "checkpointDirectory", "FlinkRunner only: Dataflow keeps the job's state itself",
                "resumeFromCheckpoint", "FlinkRunner only: Dataflow keeps the job's state itself"));
  }
}
