package dev.anomalystream.core.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where a streaming job on Flink keeps its checkpoints, and whether a new launch resumes from the
 * newest one. Dataflow keeps its own state (and the DirectRunner none): both ignore these.
 */
public interface CheckpointOptions extends PipelineOptions {
  @Description(
      "FlinkRunner only: directory of the streaming job's checkpoints (a local path, or a URI the"
          + " Flink cluster can write: hdfs://, s3://...); empty = <outputDirectory>/checkpoints")
  @Default.String("")
  String getCheckpointDirectory();

  void setCheckpointDirectory(String value);

  @Description(
      "FlinkRunner only: resume from the newest completed checkpoint under --checkpointDirectory,"
          + " so a job killed and started again with the same command loses nothing; false starts"
          + " afresh (sources then begin where their subscription or consumer group stands)")
  @Default.Boolean(true)
  boolean getResumeFromCheckpoint();

  void setResumeFromCheckpoint(boolean value);
}
