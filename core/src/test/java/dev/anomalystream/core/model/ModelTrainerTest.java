package dev.anomalystream.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.cluster.HdbscanParams;
import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import dev.anomalystream.core.text.TermStatistics;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelTrainerTest {
  private static final ModelMetadata.Embedding EMBEDDING =
      new ModelMetadata.Embedding("test-embedding", 16, "mean", "l2");
  private static final ModelMetadata.TrainingSource SOURCE =
      new ModelMetadata.TrainingSource("test", "synthetic groups", null, null, 600L);
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

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
  void trainsCalibratesBothScoresAndRecordsTheFit() {
    Random random = new Random(1);
    float[][] vectors = SyntheticEmbeddings.groups(random, 4, 150, 16, 0.15);
    boolean[] heldOut = ModelTrainer.holdOut(vectors.length, 0.2, 9);
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(
            select(vectors, heldOut, false),
            select(vectors, heldOut, true),
            settings(ScoreKind.KNN),
            EMBEDDING,
            SOURCE,
            NOW);

    assertTrue(trained.publishable(), trained.refusals().toString());
    ModelMetadata metadata = trained.metadata();
    assertEquals("20261123T100000Z", metadata.version());
    assertEquals(480, metadata.training().rowCount());
    assertEquals(4, metadata.training().clusterSizes().size(), metadata.toString());
    int clustered = metadata.training().clusterSizes().stream().mapToInt(Integer::intValue).sum();
    assertEquals(
        1 - clustered / 480.0, metadata.training().noiseFraction(), 1e-9, metadata.toString());
    assertEquals(ScoreKind.KNN, metadata.calibration().score());
    assertEquals(120, metadata.calibration().calibrationSetSize());
    assertTrue(metadata.calibration().achievedFalseAlarmRate() <= 0.05);
    assertTrue(metadata.calibrationFor(ScoreKind.GLOSH).isPresent());
    assertEquals(new ModelMetadata.Hyperparameters(10, 5, 5), metadata.hyperparameters());
  }

  @Test
  void refusesGloshWithoutClustersButKnnOnlyWarns() {
    Random random = new Random(2);
    // no structure: directions uniform on the sphere leave HDBSCAN nothing to cluster
    float[][] fit = SyntheticEmbeddings.uniform(random, 300, 16);
    float[][] calibration = SyntheticEmbeddings.uniform(random, 100, 16);
    ModelTrainer.Settings strict =
        new ModelTrainer.Settings(
            "tweets",
            new HdbscanParams(150, 50),
            5,
            ScoreKind.GLOSH,
            0.05,
            DriftReference.DEFAULT_TARGET_FALSE_DRIFT_RATE);
    ModelTrainer.TrainedModel glosh =
        ModelTrainer.train(fit, calibration, strict, EMBEDDING, SOURCE, NOW);
    assertEquals(0, glosh.fit().clusterCount());
    assertFalse(glosh.publishable());
    assertTrue(glosh.refusals().get(0).contains("no cluster"), glosh.refusals().toString());

    ModelTrainer.Settings knnSettings =
        new ModelTrainer.Settings(
            "tweets",
            new HdbscanParams(150, 50),
            5,
            ScoreKind.KNN,
            0.05,
            DriftReference.DEFAULT_TARGET_FALSE_DRIFT_RATE);
    ModelTrainer.TrainedModel knn =
        ModelTrainer.train(fit, calibration, knnSettings, EMBEDDING, SOURCE, NOW);
    assertTrue(knn.publishable(), knn.refusals().toString());
    assertTrue(
        knn.warnings().stream().anyMatch(w -> w.contains("100% of the training rows are noise")),
        knn.warnings().toString());
    // a model that already decides on knn is not told to decide on knn
    assertTrue(
        knn.warnings().stream().noneMatch(w -> w.contains("decide on the knn score")),
        knn.warnings().toString());
    assertTrue(
        glosh.warnings().stream().anyMatch(w -> w.contains("decide on the knn score instead")),
        glosh.warnings().toString());
  }

  @Test
  void gateRefusesACalibrationThatDoesNotHoldOnTheOtherHalf() {
    ModelTrainer.Settings settings = settings(ScoreKind.KNN);
    Calibration holds = new Calibration(0.5, 0.05, 1000, 0.05, 0.06);
    assertEquals(List.of(), ModelTrainer.gate(settings, 3, holds));
    Calibration doesNotHold = new Calibration(0.5, 0.05, 1000, 0.05, 0.11);
    List<String> refusals = ModelTrainer.gate(settings, 3, doesNotHold);
    assertEquals(1, refusals.size());
    assertTrue(refusals.get(0).contains("0.1100"), refusals.get(0));
    Calibration infinite = new Calibration(Double.POSITIVE_INFINITY, 0.05, 1000, 0.0, 0.0);
    assertTrue(ModelTrainer.gate(settings, 3, infinite).get(0).contains("not finite"));
  }

  @Test
  void publishWritesAVersionAndPointsLatestAtIt(@TempDir Path root) throws IOException {
    Random random = new Random(3);
    float[][] vectors = SyntheticEmbeddings.groups(random, 3, 100, 16, 0.15);
    boolean[] heldOut = ModelTrainer.holdOut(vectors.length, 0.2, 1);
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(
            select(vectors, heldOut, false),
            select(vectors, heldOut, true),
            settings(ScoreKind.GLOSH),
            EMBEDDING,
            SOURCE,
            NOW);
    ModelStore store = ModelStore.open(root.toString(), "tweets");
    ModelMetadata stored = ModelTrainer.publish(store, trained);
    assertEquals(List.of(stored.version()), store.listVersions());
    assertEquals(stored.version(), store.readLatest().orElseThrow());
    assertTrue(stored.fileSha256().containsKey(AnomalyDetector.HDBSCAN_FILE));
    assertTrue(stored.fileSha256().containsKey(AnomalyDetector.MAP_FILE));

    // the map basis is the version's: two loads place a message at the same point
    float[][] messages = {vectors[0], vectors[150]};
    Verdict[] first = load(store).score(messages);
    Verdict[] second = load(store).score(messages);
    for (int i = 0; i < messages.length; i++) {
      assertTrue(Double.isFinite(first[i].mapX()) && Double.isFinite(first[i].mapY()));
      assertEquals(first[i].mapX(), second[i].mapX());
      assertEquals(first[i].mapY(), second[i].mapY());
    }
    assertTrue(first[0].mapX() != first[1].mapX(), "messages of other groups lie apart");
  }

  @Test
  void aVersionWithoutAMapBasisScoresWithoutCoordinates(@TempDir Path root) throws IOException {
    Random random = new Random(3);
    float[][] vectors = SyntheticEmbeddings.groups(random, 3, 100, 16, 0.15);
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(vectors, vectors, settings(ScoreKind.KNN), EMBEDDING, SOURCE, NOW);
    // as versions trained before the map existed were written: the HDBSCAN file only
    ModelStore store = publishHdbscanOnly(root, trained);
    Verdict verdict = load(store).score(new float[][] {vectors[0]})[0];
    assertTrue(Double.isNaN(verdict.mapX()) && Double.isNaN(verdict.mapY()));
    assertTrue(DriftReference.load(store.loadLatest()).isEmpty());
    assertTrue(TermStatistics.load(store.loadLatest()).isEmpty());
  }

  @Test
  void publishWritesTheDriftReferenceAndTheTermStatistics(@TempDir Path root) throws IOException {
    Random random = new Random(5);
    float[][] vectors = SyntheticEmbeddings.groups(random, 3, 100, 16, 0.15);
    List<String> topics = List.of("weather rain", "coffee beans", "football match");
    List<String> texts =
        IntStream.range(0, vectors.length).mapToObj(i -> topics.get(i % 3) + " " + i).toList();
    boolean[] heldOut = ModelTrainer.holdOut(vectors.length, 0.2, 1);
    List<String> fitTexts =
        IntStream.range(0, texts.size()).filter(i -> !heldOut[i]).mapToObj(texts::get).toList();
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(
            select(vectors, heldOut, false),
            fitTexts,
            select(vectors, heldOut, true),
            settings(ScoreKind.KNN),
            EMBEDDING,
            SOURCE,
            NOW);
    ModelStore store = ModelStore.open(root.toString(), "tweets");
    ModelMetadata stored = ModelTrainer.publish(store, trained);
    assertTrue(stored.fileSha256().containsKey(DriftReference.FILE), stored.toString());
    assertTrue(stored.fileSha256().containsKey(TermStatistics.FILE), stored.toString());

    StoredModel loaded = store.loadLatest();
    ModelMetadata.Drift drift = loaded.metadata().drift();
    assertEquals(DriftReference.STATISTIC, drift.statistic());
    assertEquals(DriftReference.DEFAULT_TARGET_FALSE_DRIFT_RATE, drift.targetFalseDriftRate());
    // the expected anomaly rate is what the calibrated threshold flags on the held-out rows
    assertEquals(
        trained.calibration().achievedFalseAlarmRate(), drift.expectedAnomalyRate(), 1.0 / 60);
    DriftReference reference = DriftReference.load(loaded).orElseThrow();
    assertEquals(drift, reference.metadata());
    assertEquals(16, reference.dimension());
    TermStatistics terms = TermStatistics.load(loaded).orElseThrow();
    assertEquals(fitTexts.size(), terms.documents());
    assertEquals(fitTexts.size() / 3, terms.documentFrequency("coffee"), fitTexts.size() / 10);
  }

  private static ModelTrainer.Settings indexedSettings(int annMinReference) {
    ModelTrainer.Settings base = settings(ScoreKind.KNN);
    return new ModelTrainer.Settings(
        base.modelName(),
        base.hdbscan(),
        base.knnK(),
        base.score(),
        base.targetFalseAlarmRate(),
        base.targetFalseDriftRate(),
        annMinReference);
  }

  @Test
  void aReferenceOfTheCrossoverSizeGetsAnIndexThatLoadsWithTheSameScores(@TempDir Path root)
      throws IOException {
    Random random = new Random(6);
    float[][] vectors = SyntheticEmbeddings.groups(random, 3, 100, 16, 0.15);
    float[][] queries = SyntheticEmbeddings.groups(random, 3, 20, 16, 0.3);
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(vectors, vectors, indexedSettings(300), EMBEDDING, SOURCE, NOW);
    assertEquals(300, trained.model().trainingPoints().length);
    KnnIndex index = trained.knnIndex();
    assertTrue(index != null, "300 vectors reach a crossover of 300");
    assertEquals(ModelTrainer.searchBeam(5), index.searchBeam());
    double[] beforeWriting = KnnScorer.withIndex(vectors, 5, index).score(queries);

    ModelStore store = ModelStore.open(root.toString(), "tweets");
    ModelMetadata stored = ModelTrainer.publish(store, trained);
    assertTrue(stored.fileSha256().containsKey(KnnIndex.FILE), stored.toString());
    AnomalyDetector detector = load(store);
    assertTrue(detector.knnIndexed());
    Verdict[] verdicts = detector.score(queries);
    for (int q = 0; q < queries.length; q++) {
      assertEquals(beforeWriting[q], verdicts[q].knnScore(), "query " + q);
    }
  }

  @Test
  void aReferenceBelowTheCrossoverIsScoredExactlyWithoutAnIndex(@TempDir Path root)
      throws IOException {
    Random random = new Random(6);
    float[][] vectors = SyntheticEmbeddings.groups(random, 3, 100, 16, 0.15);
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(vectors, vectors, indexedSettings(301), EMBEDDING, SOURCE, NOW);
    assertEquals(null, trained.knnIndex());
    ModelStore store = ModelStore.open(root.toString(), "tweets");
    ModelMetadata stored = ModelTrainer.publish(store, trained);
    assertFalse(stored.fileSha256().containsKey(KnnIndex.FILE), stored.toString());
    assertFalse(load(store).knnIndexed());
  }

  @Test
  void aVersionWithoutAnIndexIsStillScoredExactly(@TempDir Path root) throws IOException {
    Random random = new Random(7);
    float[][] vectors = SyntheticEmbeddings.groups(random, 3, 100, 16, 0.15);
    float[][] queries = SyntheticEmbeddings.groups(random, 3, 20, 16, 0.3);
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(vectors, vectors, indexedSettings(1), EMBEDDING, SOURCE, NOW);
    // as versions trained before the index existed were written: no knn-index.bin
    ModelStore store = publishHdbscanOnly(root, trained);
    AnomalyDetector detector = load(store);
    assertFalse(detector.knnIndexed());
    double[] exact = new KnnScorer(vectors, 5).score(queries);
    Verdict[] verdicts = detector.score(queries);
    for (int q = 0; q < queries.length; q++) {
      assertEquals(exact[q], verdicts[q].knnScore(), "query " + q);
    }
  }

  @Test
  void aCorruptOrForeignIndexIsRefusedNamingTheFile(@TempDir Path root) throws IOException {
    Random random = new Random(8);
    float[][] vectors = SyntheticEmbeddings.groups(random, 3, 100, 16, 0.15);
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(vectors, vectors, indexedSettings(1), EMBEDDING, SOURCE, NOW);
    ModelStore store = ModelStore.open(root.toString(), "tweets");
    ModelMetadata stored = ModelTrainer.publish(store, trained);
    Path indexFile = root.resolve("tweets").resolve(stored.version()).resolve(KnnIndex.FILE);
    byte[] original = java.nio.file.Files.readAllBytes(indexFile);
    byte[] corrupt = original.clone();
    corrupt[corrupt.length / 2] ^= 0x10;
    java.nio.file.Files.write(indexFile, corrupt);
    IOException checksum = assertThrows(IOException.class, () -> load(store));
    assertTrue(
        checksum.getMessage().contains(KnnIndex.FILE + " is corrupt"), checksum.getMessage());

    // an index of other vectors with a checksum that matches it: refused when it is loaded
    float[][] other = SyntheticEmbeddings.groups(random, 3, 100, 16, 0.15);
    KnnIndex foreign = KnnIndex.build(other, 16, 100, 10, 1);
    ModelStore second = ModelStore.open(root.resolve("second").toString(), "tweets");
    ModelMetadata foreignVersion =
        second.writeVersion(
            trained.metadata(),
            Map.of(
                AnomalyDetector.HDBSCAN_FILE,
                out -> trained.model().writeTo(new DataOutputStream(out)),
                KnnIndex.FILE,
                out -> foreign.writeTo(new DataOutputStream(out))));
    second.publishLatest(foreignVersion.version());
    IOException mismatch = assertThrows(IOException.class, () -> load(second));
    assertTrue(
        mismatch.getMessage().contains(KnnIndex.FILE + " was built on other training vectors"),
        mismatch.getMessage());
  }

  private static ModelTrainer.Settings sampledSettings(
      int annMinReference, int clusterSampleSize, int knnReferenceSize) {
    ModelTrainer.Settings base = settings(ScoreKind.KNN);
    return new ModelTrainer.Settings(
        base.modelName(),
        base.hdbscan(),
        base.knnK(),
        base.score(),
        base.targetFalseAlarmRate(),
        base.targetFalseDriftRate(),
        annMinReference,
        ThresholdChoice.FALSE_ALARM,
        clusterSampleSize,
        knnReferenceSize);
  }

  @Test
  void aSampledFitKeepsEveryFitRowAsTheKnnReferenceAndServesItAfterLoading(@TempDir Path root)
      throws IOException {
    Random random = new Random(9);
    float[][] vectors = SyntheticEmbeddings.groups(random, 3, 100, 16, 0.15);
    float[][] queries = SyntheticEmbeddings.groups(random, 3, 20, 16, 0.3);
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(
            vectors,
            vectors,
            sampledSettings(ModelTrainer.DEFAULT_ANN_MIN_REFERENCE, 120, 0),
            EMBEDDING,
            SOURCE,
            NOW);
    assertEquals(120, trained.model().trainingPoints().length);
    assertEquals(300, trained.knnReference().length);
    assertEquals(300, trained.metadata().training().rowCount());
    assertEquals(120, trained.metadata().training().clusterSampleRows());
    assertEquals(null, trained.metadata().training().knnReferenceRows());
    assertEquals(3, trained.fit().clusterCount(), "the sample still finds the three groups");

    ModelStore store = ModelStore.open(root.toString(), "tweets");
    ModelMetadata stored = ModelTrainer.publish(store, trained);
    assertTrue(stored.fileSha256().containsKey(KnnReference.FILE), stored.toString());
    Verdict[] verdicts = load(store).score(queries);
    double[] againstEveryRow = new KnnScorer(vectors, 5).score(queries);
    double[] againstTheSample = new KnnScorer(trained.model().trainingPoints(), 5).score(queries);
    boolean sampleDiffers = false;
    for (int q = 0; q < queries.length; q++) {
      assertEquals(againstEveryRow[q], verdicts[q].knnScore(), 1e-6, "query " + q);
      sampleDiffers |= Math.abs(againstTheSample[q] - againstEveryRow[q]) > 1e-6;
    }
    assertTrue(sampleDiffers, "the stored reference, not the cluster sample, is scored against");
  }

  @Test
  void aSampledReferenceHoldsTheClusterSampleAndGetsItsIndex(@TempDir Path root)
      throws IOException {
    Random random = new Random(10);
    float[][] vectors = SyntheticEmbeddings.groups(random, 3, 100, 16, 0.15);
    float[][] queries = SyntheticEmbeddings.groups(random, 3, 20, 16, 0.3);
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(
            vectors, vectors, sampledSettings(200, 120, 200), EMBEDDING, SOURCE, NOW);
    float[][] reference = trained.knnReference();
    assertEquals(200, reference.length);
    assertEquals(200, trained.metadata().training().knnReferenceRows());
    java.util.Set<float[]> referenceRows =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    referenceRows.addAll(Arrays.asList(reference));
    java.util.Set<float[]> fitRows =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    fitRows.addAll(Arrays.asList(vectors));
    assertTrue(fitRows.containsAll(referenceRows), "the reference is a sample of the fit rows");
    ModelTrainer.Sample sample = ModelTrainer.sample(vectors, sampledSettings(200, 120, 200));
    assertTrue(referenceRows.containsAll(Arrays.asList(sample.cluster())));
    assertEquals(200, trained.knnIndex().size(), "200 reference rows reach a crossover of 200");

    ModelStore store = ModelStore.open(root.toString(), "tweets");
    ModelMetadata stored = ModelTrainer.publish(store, trained);
    assertTrue(stored.fileSha256().containsKey(KnnIndex.FILE), stored.toString());
    AnomalyDetector detector = load(store);
    assertTrue(detector.knnIndexed());
    double[] beforeWriting = KnnScorer.withIndex(reference, 5, trained.knnIndex()).score(queries);
    Verdict[] verdicts = detector.score(queries);
    for (int q = 0; q < queries.length; q++) {
      assertEquals(beforeWriting[q], verdicts[q].knnScore(), "query " + q);
    }
  }

  @Test
  void withoutSamplingTheFitRowsAreClusteredAndScoredAsGiven() {
    float[][] vectors = SyntheticEmbeddings.groups(new Random(11), 2, 50, 16, 0.15);
    ModelTrainer.Sample all = ModelTrainer.sample(vectors, sampledSettings(1, 0, 0));
    assertTrue(all.cluster() == vectors && all.reference() == vectors);
    ModelTrainer.Sample larger = ModelTrainer.sample(vectors, sampledSettings(1, 500, 500));
    assertTrue(larger.cluster() == vectors && larger.reference() == vectors);
    ModelTrainer.Sample sampled = ModelTrainer.sample(vectors, sampledSettings(1, 40, 0));
    assertEquals(40, sampled.cluster().length);
    assertTrue(sampled.reference() == vectors);
    assertArrayEquals(
        sampled.cluster(), ModelTrainer.sample(vectors, sampledSettings(1, 40, 0)).cluster());
    assertThrows(IllegalArgumentException.class, () -> sampledSettings(1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> sampledSettings(1, 0, -1));
  }

  private static AnomalyDetector load(ModelStore store) throws IOException {
    return AnomalyDetector.load(
        store.loadLatest(),
        EMBEDDING.modelId(),
        EMBEDDING.dimension(),
        AnomalyDetector.Overrides.none());
  }

  @Test
  void refusedModelsCannotBePublished(@TempDir Path root) {
    Random random = new Random(4);
    ModelTrainer.TrainedModel refused =
        ModelTrainer.train(
            SyntheticEmbeddings.uniform(random, 200, 16),
            SyntheticEmbeddings.uniform(random, 50, 16),
            new ModelTrainer.Settings(
                "tweets",
                new HdbscanParams(100, 50),
                5,
                ScoreKind.GLOSH,
                0.05,
                DriftReference.DEFAULT_TARGET_FALSE_DRIFT_RATE),
            EMBEDDING,
            SOURCE,
            NOW);
    ModelStore store = ModelStore.open(root.toString(), "tweets");
    assertThrows(IllegalStateException.class, () -> ModelTrainer.publish(store, refused));
  }

  @Test
  void holdOutPicksASeededSliceOfTheRequestedSize() {
    boolean[] first = ModelTrainer.holdOut(1000, 0.1, 42);
    assertEquals(100, count(first));
    assertArrayEquals(first, ModelTrainer.holdOut(1000, 0.1, 42));
    assertNotEquals(Arrays.toString(first), Arrays.toString(ModelTrainer.holdOut(1000, 0.1, 43)));
    assertEquals(1, count(ModelTrainer.holdOut(3, 0.1, 1)), "at least one row is held out");
    assertThrows(IllegalArgumentException.class, () -> ModelTrainer.holdOut(1, 0.1, 1));
  }

  @Test
  void splitForCalibrationHoldsOutTheMaskedRowsAndKeepsTheOrder() {
    List<Integer> rows = IntStream.range(0, 50).boxed().toList();
    boolean[] mask = ModelTrainer.holdOut(rows.size(), 0.2, 7);
    ModelTrainer.HeldOut<Integer> split = ModelTrainer.splitForCalibration(rows, 0.2, 7);
    assertEquals(rows.stream().filter(i -> mask[i]).toList(), split.calibration());
    assertEquals(rows.stream().filter(i -> !mask[i]).toList(), split.fit());
    assertEquals(10, split.calibration().size());
  }

  private static int count(boolean[] mask) {
    int count = 0;
    for (boolean held : mask) {
      count += held ? 1 : 0;
    }
    return count;
  }

  private static ModelTrainer.Settings withThreshold(ThresholdChoice choice) {
    ModelTrainer.Settings base = settings(ScoreKind.KNN);
    return new ModelTrainer.Settings(
        base.modelName(),
        base.hdbscan(),
        base.knnK(),
        base.score(),
        base.targetFalseAlarmRate(),
        base.targetFalseDriftRate(),
        base.annMinReference(),
        choice,
        0,
        0);
  }

  @Test
  void theThresholdMethodAndItsInputsAreRecorded() throws IOException {
    Random random = new Random(1);
    float[][] vectors = SyntheticEmbeddings.groups(random, 4, 150, 16, 0.15);
    boolean[] heldOut = ModelTrainer.holdOut(vectors.length, 0.2, 9);
    float[][] fit = select(vectors, heldOut, false);
    float[][] calibration = select(vectors, heldOut, true);

    ModelTrainer.TrainedModel byDefault =
        ModelTrainer.train(fit, calibration, settings(ScoreKind.KNN), EMBEDDING, SOURCE, NOW);
    assertEquals(ThresholdMethod.FALSE_ALARM, byDefault.metadata().calibration().method());

    ModelTrainer.TrainedModel percentile =
        ModelTrainer.train(
            fit,
            calibration,
            withThreshold(new ThresholdChoice(ThresholdMethod.PERCENTILE, 90, null, null)),
            EMBEDDING,
            SOURCE,
            NOW);
    ModelMetadata.CalibrationRecord record = percentile.metadata().calibration();
    assertEquals(ThresholdMethod.PERCENTILE, record.method());
    assertEquals(90.0, record.percentile());
    assertEquals(0.1, record.achievedFalseAlarmRate(), 1.0 / calibration.length);
    // the alternatives stay false-alarm calibrations
    assertEquals(
        null, percentile.metadata().calibrationFor(ScoreKind.GLOSH).orElseThrow().method());

    float[][] labelled = SyntheticEmbeddings.uniform(new Random(3), 5, 16);
    ModelTrainer.TrainedModel bestF1 =
        ModelTrainer.train(
            fit,
            calibration,
            withThreshold(new ThresholdChoice(ThresholdMethod.BEST_F1, 99, "five.txt", labelled)),
            EMBEDDING,
            SOURCE,
            NOW);
    record = bestF1.metadata().calibration();
    assertEquals(ThresholdMethod.BEST_F1, record.method());
    assertEquals(5, record.labelledAnomalies());
    assertEquals("five.txt", record.labelledAnomaliesSource());
    assertEquals(1.0, record.labelledAnomalyRecall(), "random directions are far from the groups");
    assertTrue(
        bestF1.warnings().stream().anyMatch(w -> w.contains("only 5 labelled anomalies")),
        bestF1.warnings().toString());
    ModelMetadata.CalibrationRecord reread =
        ModelMetadata.fromJson(bestF1.metadata().toJson(), "test").calibration();
    assertEquals(record, reread);
  }

  static float[][] select(float[][] vectors, boolean[] mask, boolean wanted) {
    return IntStream.range(0, vectors.length)
        .filter(i -> mask[i] == wanted)
        .mapToObj(i -> vectors[i])
        .toArray(float[][]::new);
  }

  /** Publishes {@code trained} with its HDBSCAN file only, as the oldest versions were written. */
  private static ModelStore publishHdbscanOnly(Path root, ModelTrainer.TrainedModel trained)
      throws IOException {
    ModelStore store = ModelStore.open(root.toString(), "tweets");
    ModelMetadata stored =
        store.writeVersion(
            trained.metadata(),
            Map.of(
                AnomalyDetector.HDBSCAN_FILE,
                out -> trained.model().writeTo(new DataOutputStream(out))));
    store.publishLatest(stored.version());
    return store;
  }
}
