package dev.anomalystream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.cluster.HdbscanParams;
import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import dev.anomalystream.core.model.AnomalyDetector;
import dev.anomalystream.core.model.Autoencoder;
import dev.anomalystream.core.model.DriftReference;
import dev.anomalystream.core.model.IncompatibleModelException;
import dev.anomalystream.core.model.ModelMetadata;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.model.ModelTrainer;
import dev.anomalystream.core.model.ScoreKind;
import dev.anomalystream.core.model.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoencoderTrainerTest {
  private static final int DIMENSION = 32;
  private static final AutoencoderTrainer.Settings SETTINGS =
      new AutoencoderTrainer.Settings(List.of(16, 4, 16), 40, 32, 0.005, 42);
  private static final ModelMetadata.Embedding EMBEDDING =
      new ModelMetadata.Embedding("test-embedding", DIMENSION, "mean", "l2");
  private static final ModelMetadata.TrainingSource SOURCE =
      new ModelMetadata.TrainingSource("test", "synthetic groups", null, null, 1000L);
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  /** 1,000 vectors around 4 directions: 600 to fit, 200 to calibrate, 200 new normal ones. */
  private static final float[][] NORMAL =
      SyntheticEmbeddings.groups(new Random(1), 4, 250, DIMENSION, 0.15);

  private static final float[][] FIT = Arrays.copyOfRange(NORMAL, 0, 600);
  private static final float[][] CALIBRATION = Arrays.copyOfRange(NORMAL, 600, 800);
  private static final float[][] NEW_NORMAL = Arrays.copyOfRange(NORMAL, 800, 1000);

  /** Directions uniform on the sphere: nothing like the four groups. */
  private static final float[][] OFF_DISTRIBUTION =
      SyntheticEmbeddings.uniform(new Random(7), 100, DIMENSION);

  private static ModelTrainer.Settings settings(ScoreKind score) {
    return new ModelTrainer.Settings(
        "tweets",
        new HdbscanParams(10, 5),
        5,
        score,
        0.05,
        DriftReference.DEFAULT_TARGET_FALSE_DRIFT_RATE);
  }

  @Test
  void theServedOnnxGraphGivesTheEnginesReconstructionErrors() throws IOException {
    float[][] queries =
        Stream.of(NEW_NORMAL, OFF_DISTRIBUTION).flatMap(Arrays::stream).toArray(float[][]::new);
    try (AutoencoderTrainer.Network network = AutoencoderTrainer.Network.fit(FIT, SETTINGS)) {
      double[] engine = network.errors(queries);
      Autoencoder.Trained exported = network.export();
      double[] served = exported.network().score(queries);
      for (int i = 0; i < queries.length; i++) {
        assertEquals(engine[i], served[i], 1e-5, "vector " + i);
      }
      // it learnt the groups: new normal vectors reconstruct far better than random directions
      // (their error is mostly the groups' spread, about 0.4 here, which no code of 4 can keep)
      double normal = Arrays.stream(served, 0, NEW_NORMAL.length).average().orElseThrow();
      double off = Arrays.stream(served, NEW_NORMAL.length, served.length).average().orElseThrow();
      assertTrue(off > 2.5 * normal, "normal " + normal + ", off-distribution " + off);

      ModelMetadata.AutoencoderRecord description = exported.description();
      assertEquals(List.of(32, 16, 4, 16, 32), description.layers());
      assertEquals(List.of("relu", "tanh", "relu"), description.activations());
      assertEquals(40, description.epochs());
      assertTrue(description.engine().startsWith("PyTorch"), description.engine());
      assertTrue(description.finalLoss() < normal, description.toString());
    }
  }

  @Test
  void theCalibratedThresholdFlagsOffDistributionVectorsOnceStoredAndLoaded(@TempDir Path root)
      throws IOException {
    Autoencoder.Trained autoencoder = AutoencoderTrainer.train(FIT, SETTINGS);
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(
            FIT,
            List.of(),
            CALIBRATION,
            settings(ScoreKind.AUTOENCODER),
            autoencoder,
            EMBEDDING,
            SOURCE,
            NOW);
    assertTrue(trained.publishable(), trained.refusals().toString());
    ModelMetadata metadata = trained.metadata();
    assertEquals(ScoreKind.AUTOENCODER, metadata.calibration().score());
    assertTrue(metadata.calibrationFor(ScoreKind.KNN).isPresent(), metadata.toString());
    assertTrue(metadata.calibrationFor(ScoreKind.GLOSH).isPresent(), metadata.toString());
    assertEquals(autoencoder.description(), metadata.autoencoder());

    ModelStore store = ModelStore.open(root.toString(), "tweets");
    ModelMetadata stored = ModelTrainer.publish(store, trained);
    assertTrue(stored.fileSha256().containsKey(Autoencoder.FILE), stored.toString());
    AnomalyDetector detector =
        AnomalyDetector.load(
            store.loadLatest(), "test-embedding", DIMENSION, AnomalyDetector.Overrides.none());
    assertTrue(detector.hasAutoencoder());
    assertEquals(ScoreKind.AUTOENCODER, detector.scoreKind());
    assertEquals(metadata.calibration().threshold(), detector.threshold());

    long offFlagged =
        Arrays.stream(detector.score(OFF_DISTRIBUTION)).filter(Verdict::anomalous).count();
    assertTrue(offFlagged >= 95, offFlagged + " of 100 off-distribution vectors flagged");
    Verdict[] normal = detector.score(NEW_NORMAL);
    long normalFlagged = Arrays.stream(normal).filter(Verdict::anomalous).count();
    // target 5 %: 10 of 200 expected, 25 would be far beyond sampling noise
    assertTrue(normalFlagged <= 25, normalFlagged + " of 200 new normal vectors flagged");
    double[] expected = autoencoder.network().score(NEW_NORMAL);
    for (int i = 0; i < normal.length; i++) {
      assertEquals(expected[i], normal[i].autoencoderScore(), 1e-12);
    }
  }

  @Test
  void aVersionWithoutAnAutoencoderStillLoadsAndServesItsOtherScores(@TempDir Path root)
      throws IOException {
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(
            FIT, List.of(), CALIBRATION, settings(ScoreKind.KNN), EMBEDDING, SOURCE, NOW);
    assertNull(trained.metadata().autoencoder());
    assertTrue(trained.metadata().calibrationFor(ScoreKind.AUTOENCODER).isEmpty());
    ModelStore store = ModelStore.open(root.toString(), "tweets");
    ModelMetadata stored = ModelTrainer.publish(store, trained);
    assertFalse(stored.fileSha256().containsKey(Autoencoder.FILE), stored.toString());

    AnomalyDetector detector =
        AnomalyDetector.load(
            store.loadLatest(), "test-embedding", DIMENSION, AnomalyDetector.Overrides.none());
    assertFalse(detector.hasAutoencoder());
    Verdict[] verdicts = detector.score(OFF_DISTRIBUTION);
    assertTrue(Arrays.stream(verdicts).allMatch(v -> Double.isNaN(v.autoencoderScore())));
    assertTrue(Arrays.stream(verdicts).filter(Verdict::anomalous).count() >= 95);

    IncompatibleModelException e =
        assertThrows(
            IncompatibleModelException.class,
            () ->
                AnomalyDetector.load(
                    store.loadLatest(),
                    "test-embedding",
                    DIMENSION,
                    new AnomalyDetector.Overrides(ScoreKind.AUTOENCODER, null, null)));
    assertTrue(e.getMessage().contains(Autoencoder.FILE), e.getMessage());
  }

  @Test
  void decidingOnTheAutoencoderScoreWithoutAnAutoencoderIsRefused() {
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(
            FIT, List.of(), CALIBRATION, settings(ScoreKind.AUTOENCODER), EMBEDDING, SOURCE, NOW);
    assertFalse(trained.publishable());
    assertTrue(
        trained.refusals().stream().anyMatch(r -> r.contains("no autoencoder")),
        trained.refusals().toString());
  }
}
