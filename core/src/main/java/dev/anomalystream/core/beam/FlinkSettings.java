package dev.anomalystream.core.beam;

import java.util.OptionalInt;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Flink runner settings the streaming detector relies on, beside {@link FlinkCheckpoints}. Like it,
 * touches Flink's classes only when the options name the FlinkRunner.
 */
public final class FlinkSettings {
  private FlinkSettings() {}

  /**
   * Hands elements from one operator to the next without Flink's defensive copy (Beam's {@code
   * --fasterCopy}): by default the runner copies every element through its coder at each operator
   * boundary, in case a DoFn changes what it received or emitted. Ours never do (Beam's model
   * forbids it, and the DirectRunner's immutability enforcement checks every DoFn in the tests),
   * and the copy cost a quarter of the detector's Java time on Flink, embeddings and all.
   */
  public static void skipDefensiveCopies(PipelineOptions options) {
    if (FlinkCheckpoints.isFlink(options)) {
      Reader.skipDefensiveCopies(options);
    }
  }

  /**
   * Flink's embedded cluster ({@code --flinkMaster} {@code [local]}, or {@code [auto]} outside a
   * cluster) runs inside the launching JVM, so its subtasks share this machine's cores. This is how
   * many parallel subtasks of each operator it runs here: {@code --parallelism} when set, else the
   * cluster's default, one per core. Empty for another runner or a remote cluster, whose task slots
   * are on other machines.
   */
  public static OptionalInt parallelismInThisJvm(PipelineOptions options) {
    return FlinkCheckpoints.isFlink(options) ? Reader.parallelism(options) : OptionalInt.empty();
  }

  /** Flink-typed code apart, so this class loads without the Flink runner on the classpath. */
  static final class Reader {
    private Reader() {}

    static void skipDefensiveCopies(PipelineOptions options) {
      options.as(FlinkPipelineOptions.class).setFasterCopy(true);
    }

    static OptionalInt parallelism(PipelineOptions options) {
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      if (!isEmbedded(flink)) {
        return OptionalInt.empty();
      }
      Integer parallelism = flink.getParallelism();
      return OptionalInt.of(
          parallelism != null && parallelism > 0
              ? parallelism
              : Runtime.getRuntime().availableProcessors());
    }

    static boolean isEmbedded(FlinkPipelineOptions flink) {
      String master = flink.getFlinkMaster();
      return master == null || "[local]".equals(master) || "[auto]".equals(master);
    }
  }
}
