package dev.anomalystream.core.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HdbscanTest {
  private static final HdbscanParams PARAMS = new HdbscanParams(20, 10);

  private static float[][] separableData() {
    return SyntheticEmbeddings.generate(1200, 32, 4, 0.05, 0.03, 7);
  }

  @Test
  void predictingTrainingPointsReproducesTheirLabels() {
    float[][] points = separableData();
    HdbscanResult result = Hdbscan.fit(points, PARAMS);
    HdbscanModel.Prediction[] predictions = result.model().approximatePredict(points);
    long same = 0;
    for (int i = 0; i < points.length; i++) {
      if (result.labels()[i] >= 0 && predictions[i].label() == result.labels()[i]) {
        same++;
      }
    }
    long clustered = Arrays.stream(result.labels()).filter(label -> label >= 0).count();
    assertTrue(
        same >= 0.99 * clustered, same + " of " + clustered + " clustered points predicted back");
  }

  @Test
  void serializationRoundTripGivesIdenticalPredictions() throws IOException {
    float[][] points = separableData();
    HdbscanModel model = Hdbscan.fit(points, PARAMS).model();
    HdbscanModel restored =
        HdbscanModel.readFrom(new DataInputStream(new ByteArrayInputStream(serialize(model))));
    float[][] queries = SyntheticEmbeddings.generate(300, 32, 4, 0.08, 0.2, 8);
    assertArrayEquals(model.approximatePredict(queries), restored.approximatePredict(queries));
    assertEquals(model.params(), restored.params());
    assertEquals(model.trainingSize(), restored.trainingSize());
    assertEquals(model.dimension(), restored.dimension());
  }

  @Test
  void truncatedOrCorruptStreamsFailClearly() throws IOException {
    byte[] bytes = serialize(Hdbscan.fit(separableData(), PARAMS).model());

    byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);
    IOException truncation = assertThrows(IOException.class, () -> read(truncated));
    assertTrue(truncation.getMessage().contains("truncated"), truncation.getMessage());

    byte[] flippedMagic = bytes.clone();
    flippedMagic[0] ^= 0x01;
    IOException magic = assertThrows(IOException.class, () -> read(flippedMagic));
    assertTrue(magic.getMessage().contains("magic"), magic.getMessage());

    byte[] flippedPoint = bytes.clone();
    flippedPoint[100] ^= 0x10;
    IOException checksum = assertThrows(IOException.class, () -> read(flippedPoint));
    assertTrue(checksum.getMessage().contains("checksum"), checksum.getMessage());
  }

  @Test
  void tooFewPointsIsAnError() {
    float[][] points = SyntheticEmbeddings.generate(10, 8, 1, 0.05, 0, 3);
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class, () -> Hdbscan.fit(points, new HdbscanParams(5, 10)));
    assertTrue(error.getMessage().contains("minSamples"), error.getMessage());
  }

  @Test
  void identicalPointsAreAllNoise() {
    float[][] points = new float[50][];
    Arrays.setAll(points, i -> new float[] {0.6f, 0.8f});
    HdbscanResult result = Hdbscan.fit(points, new HdbscanParams(5, 5));
    assertEquals(0, result.clusterCount());
    assertEquals(1.0, result.noiseFraction());
    HdbscanModel.Prediction prediction =
        result.model().approximatePredict(new float[][] {{0.6f, 0.8f}})[0];
    assertEquals(new HdbscanModel.Prediction(-1, 0.0, 1.0), prediction);
  }

  @Test
  void duplicatedPointsKeepTheirClusterAndFiniteScores() {
    float[][] base = separableData();
    float[][] doubled = new float[base.length * 2][];
    for (int i = 0; i < base.length; i++) {
      doubled[2 * i] = base[i];
      doubled[2 * i + 1] = base[i].clone();
    }
    HdbscanResult result = Hdbscan.fit(doubled, PARAMS);
    assertEquals(4, result.clusterCount());
    for (int i = 0; i < base.length; i++) {
      assertEquals(result.labels()[2 * i], result.labels()[2 * i + 1], "copies of point " + i);
    }
    assertTrue(Arrays.stream(result.outlierScores()).allMatch(Double::isFinite));
    assertTrue(Arrays.stream(result.probabilities()).allMatch(p -> p >= 0 && p <= 1));
  }

  @Test
  void invalidInputIsNamed() {
    assertThrows(IllegalArgumentException.class, () -> new HdbscanParams(1, 5));
    assertThrows(IllegalArgumentException.class, () -> new HdbscanParams(5, 0));
    float[][] ragged = SyntheticEmbeddings.generate(40, 4, 1, 0.05, 0, 3);
    ragged[17] = new float[3];
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class, () -> Hdbscan.fit(ragged, new HdbscanParams(5, 5)));
    assertTrue(error.getMessage().contains("point 17"), error.getMessage());
    HdbscanModel model =
        Hdbscan.fit(SyntheticEmbeddings.generate(40, 4, 1, 0.05, 0, 3), new HdbscanParams(5, 5))
            .model();
    assertThrows(
        IllegalArgumentException.class,
        () -> model.approximatePredict(new float[][] {new float[5]}));
  }

  private static byte[] serialize(HdbscanModel model) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    model.writeTo(new DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  private static HdbscanModel read(byte[] bytes) throws IOException {
    return HdbscanModel.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)));
  }
}
