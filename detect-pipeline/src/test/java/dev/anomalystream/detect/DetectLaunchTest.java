package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.embedding.EmbeddingModelSpec;
import dev.anomalystream.core.testing.LocalTestFileSystem;
import dev.anomalystream.core.testing.SubmitOnlyRunner;
import dev.anomalystream.core.testing.TestModels;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector's launch as Dataflow sees it: a model on a non-local file system, a runner that only
 * submits the job (as a Flex Template launch does), and the options the job is submitted with.
 */
class DetectLaunchTest {
  @TempDir static Path storage;

  @BeforeAll
  static void publishModel() throws Exception {
    List<String> texts =
        SyntheticCorpus.tweets(150, 5).stream().map(SyntheticCorpus.Tweet::text).toList();
    TestModels.trainAndPublish(
        texts,
        storage.resolve("models").toString(),
        "tweets",
        0.05,
        Instant.parse("2026-11-30T04:00:00Z"));
  }

  @BeforeEach
  void onlyTheDefaultFileSystems() {
    // as in a fresh launcher JVM: testfs:// (like gs://) is registered only from the job's options
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  private static String[] args(String model) {
    return new String[] {
      "--runner=" + SubmitOnlyRunner.class.getName(),
      "--subscription=projects/test-project/subscriptions/detector",
      "--model=" + model,
      "--modelName=tweets",
      "--outputDirectory=" + storage.resolve("out"),
      "--outboxDirectory=" + storage.resolve("out/outbox"),
    };
  }

  @Test
  void loadsItsModelFromANonLocalFileSystemAndSubmitsWithStreamingEngine() throws Exception {
    DetectOptions options =
        PipelineOptionsFactory.fromArgs(args(LocalTestFileSystem.SCHEME + ":///models"))
            .as(DetectOptions.class);
    options.as(LocalTestFileSystem.Options.class).setTestFsRoot(storage.toString());

    PipelineResult result = DetectPipeline.run(options);

    assertEquals(PipelineResult.State.RUNNING, result.getState());
    // the launch read the model's metadata through testfs:// to pick the embedding to serve
    assertEquals(EmbeddingModelSpec.DEFAULT, options.getEmbeddingModel());
    DetectOptions submitted = SubmitOnlyRunner.lastSubmitted().getOptions().as(DetectOptions.class);
    assertTrue(submitted.isStreaming());
    assertTrue(submitted.isEnableStreamingEngine(), "GroupIntoBatches.withShardedKey needs it");
  }

  @Test
  void mainReturnsWithoutWaitingForTheJob() throws Exception {
    // SubmitOnlyRunner's job never finishes and fails the test if anyone waits for it
    DetectPipeline.main(args(storage.resolve("models").toString()));

    assertSame(
        SubmitOnlyRunner.class,
        SubmitOnlyRunner.lastSubmitted().getOptions().getRunner(),
        "the main submitted the job");
  }
}
