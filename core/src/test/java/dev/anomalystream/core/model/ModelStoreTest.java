package dev.anomalystream.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
  private static final byte[] MODEL_BYTES = "the hdbscan model".getBytes();
  private static final byte[] EXTRA_BYTES = new byte[] {0, 1, 2, 3, (byte) 255};

  @TempDir Path root;

  private ModelStore store() {
    return ModelStore.open(root.toString(), "tweets");
  }

  private ModelMetadata writeSample(String version) throws IOException {
    Map<String, ArtifactWriter> files = new LinkedHashMap<>();
    files.put("hdbscan.bin", out -> out.write(MODEL_BYTES));
    files.put("extra.bin", out -> out.write(EXTRA_BYTES));
    return store().writeVersion(ModelMetadataTest.sample(version), files);
  }

  @Test
  void writesListsPublishesAndLoadsVersions() throws IOException {
    ModelStore store = store();
    assertEquals(List.of(), store.listVersions());
    assertEquals(Optional.empty(), store.readLatest());

    ModelMetadata written = writeSample("20261123T090000Z");
    writeSample("20261124T090000Z");
    assertTrue(written.fileSha256().get("hdbscan.bin").matches("[0-9a-f]{64}"), written.toString());
    assertEquals(List.of("20261123T090000Z", "20261124T090000Z"), store.listVersions());
    assertEquals(Optional.empty(), store.readLatest(), "writing does not publish");

    store.publishLatest("20261123T090000Z");
    assertEquals(Optional.of("20261123T090000Z"), store.readLatest());
    store.publishLatest("20261124T090000Z");
    assertEquals(Optional.of("20261124T090000Z"), store.readLatest());
    assertEquals(
        List.of("20261123T090000Z", "20261124T090000Z", "LATEST", "history"),
        Files.list(root.resolve("tweets")).map(p -> p.getFileName().toString()).sorted().toList(),
        "no temporary file is left behind");

    StoredModel loaded = store.loadLatest();
    assertEquals("20261124T090000Z", loaded.metadata().version());
    assertArrayEquals(MODEL_BYTES, loaded.open("hdbscan.bin").readAllBytes());
    assertArrayEquals(EXTRA_BYTES, loaded.open("extra.bin").readAllBytes());
    assertEquals(written.fileSha256(), store.load("20261123T090000Z").metadata().fileSha256());
  }

  @Test
  void loadsFromAVersionOrAModelDirectory() throws IOException {
    writeSample("v1");
    writeSample("v2");
    store().publishLatest("v1");
    assertEquals(
        "v1", ModelStore.loadDirectory(root.resolve("tweets").toString()).metadata().version());
    assertEquals(
        "v2", ModelStore.loadDirectory(root.resolve("tweets/v2").toString()).metadata().version());
    FileNotFoundException e =
        assertThrows(FileNotFoundException.class, () -> ModelStore.loadDirectory(root.toString()));
    assertTrue(e.getMessage().contains("neither a model version directory"), e.getMessage());
  }

  @Test
  void aTruncatedFileIsAClearError() throws IOException {
    writeSample("v1");
    Path file = root.resolve("tweets/v1/hdbscan.bin");
    Files.write(file, java.util.Arrays.copyOf(MODEL_BYTES, MODEL_BYTES.length - 3));
    IOException e = assertThrows(IOException.class, () -> store().load("v1"));
    assertTrue(e.getMessage().contains("hdbscan.bin is corrupt or truncated"), e.getMessage());
  }

  @Test
  void aCorruptFileIsAClearError() throws IOException {
    writeSample("v1");
    Path file = root.resolve("tweets/v1/extra.bin");
    byte[] flipped = EXTRA_BYTES.clone();
    flipped[2] ^= 1;
    Files.write(file, flipped);
    IOException e = assertThrows(IOException.class, () -> store().load("v1"));
    assertTrue(e.getMessage().contains("extra.bin is corrupt"), e.getMessage());
  }

  @Test
  void aMissingFileIsAClearError() throws IOException {
    writeSample("v1");
    Files.delete(root.resolve("tweets/v1/extra.bin"));
    IOException e = assertThrows(IOException.class, () -> store().load("v1"));
    assertTrue(e.getMessage().contains("is missing extra.bin"), e.getMessage());
  }

  @Test
  void aVersionWithoutMetadataIsNotListedAndCannotBePublished() throws IOException {
    writeSample("v1");
    Files.createDirectories(root.resolve("tweets/half-written"));
    Files.write(root.resolve("tweets/half-written/hdbscan.bin"), MODEL_BYTES);
    assertEquals(List.of("v1"), store().listVersions());
    assertThrows(FileNotFoundException.class, () -> store().publishLatest("half-written"));
    assertFalse(Files.exists(root.resolve("tweets/LATEST")));
  }

  @Test
  void refusesToOverwriteAVersion() throws IOException {
    writeSample("v1");
    IOException e = assertThrows(IOException.class, () -> writeSample("v1"));
    assertTrue(e.getMessage().contains("exists already"), e.getMessage());
  }

  @Test
  void refusesUnsafeNames() {
    assertThrows(IllegalArgumentException.class, () -> ModelStore.open(root.toString(), "../x"));
    assertThrows(IllegalArgumentException.class, () -> store().publishLatest("a/b"));
  }

  @Test
  void aGarbledLatestPointerIsAClearError() throws IOException {
    Files.createDirectories(root.resolve("tweets"));
    Files.writeString(root.resolve("tweets/LATEST"), "../../etc\n");
    IOException e = assertThrows(IOException.class, () -> store().readLatest());
    assertTrue(e.getMessage().contains("does not hold a version name"), e.getMessage());
  }

  @Test
  void versionNamesSortInTimeOrder() {
    String earlier = ModelStore.versionNameFor(java.time.Instant.parse("2026-11-23T09:59:59Z"));
    String later = ModelStore.versionNameFor(java.time.Instant.parse("2026-11-23T10:00:00Z"));
    assertEquals("20261123T095959Z", earlier);
    assertTrue(earlier.compareTo(later) < 0);
  }
}
