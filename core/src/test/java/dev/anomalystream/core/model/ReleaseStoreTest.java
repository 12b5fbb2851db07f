package dev.anomalystream.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A release with group models in the store: layout, checks on load, group names. */
class ReleaseStoreTest {
  private static final String ODD_GROUP = "café/../x";

  @TempDir Path root;

  private ModelStore store() {
    return ModelStore.open(root.toString(), "tweets");
  }

  private static Map<String, ArtifactWriter> files(String content) {
    return Map.of("hdbscan.bin", out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
  }

  private ModelMetadata writeRelease(String version) throws IOException {
    return store()
        .writeVersion(
            ModelMetadataTest.sample(version),
            files("global"),
            List.of(
                new ModelStore.GroupModel("joy", ModelMetadataTest.sample(version), files("joy")),
                new ModelStore.GroupModel(
                    ODD_GROUP, ModelMetadataTest.sample("older"), files("odd"))));
  }

  @Test
  void aReleaseKeepsEachGroupModelInItsOwnCheckedDirectory() throws IOException {
    ModelMetadata written = writeRelease("v1");
    assertTrue(written.fileSha256().containsKey(GroupManifest.FILE), written.toString());
    Path version = root.resolve("tweets/v1");
    String oddDirectory = GroupNames.directoryName(ODD_GROUP);
    assertTrue(oddDirectory.matches("_[0-9a-f]{32}"), oddDirectory);
    assertTrue(Files.exists(version.resolve("groups/joy/metadata.json")));
    assertTrue(Files.exists(version.resolve("groups/" + oddDirectory + "/hdbscan.bin")));

    store().publishLatest("v1");
    StoredModel loaded = store().loadLatest();
    assertEquals(List.of(ODD_GROUP, "joy"), loaded.groups().keySet().stream().sorted().toList());
    assertArrayEquals(
        "joy".getBytes(StandardCharsets.UTF_8),
        loaded.groups().get("joy").open("hdbscan.bin").readAllBytes());
    assertEquals("older", loaded.groups().get(ODD_GROUP).metadata().version());
    assertArrayEquals(
        "global".getBytes(StandardCharsets.UTF_8), loaded.open("hdbscan.bin").readAllBytes());
    GroupManifest manifest =
        GroupManifest.fromJson(loaded.open(GroupManifest.FILE).readAllBytes(), "test");
    assertEquals("older", manifest.groups().get(ODD_GROUP).trainedInVersion());
    assertTrue(manifest.groups().get("joy").bytes() > 0);
    assertFalse(
        loaded.artifacts().containsKey(GroupManifest.FILE),
        "a model copied into a later release does not copy the manifest of its own");
  }

  @Test
  void aVersionWithoutGroupsHasNoManifestAndLoadsAsBefore() throws IOException {
    store().writeVersion(ModelMetadataTest.sample("v0"), files("global"));
    assertFalse(Files.exists(root.resolve("tweets/v0/" + GroupManifest.FILE)));
    assertFalse(Files.exists(root.resolve("tweets/v0/groups")));
    assertEquals(Map.of(), store().load("v0").groups());
  }

  @Test
  void theRegistryListsEachVersionsGroupCount() throws IOException {
    store().writeVersion(ModelMetadataTest.sample("v0"), files("global"));
    writeRelease("v1");
    ModelRegistry registry = new ModelRegistry(store());
    assertEquals(
        List.of(0, 2), registry.list().stream().map(ModelRegistry.VersionSummary::groups).toList());
    assertEquals(Set.of("joy", ODD_GROUP), registry.groups("v1").groups().keySet());
    assertEquals(Map.of(), registry.groups("v0").groups());
  }

  @Test
  void aCorruptGroupFileRefusesTheWholeRelease() throws IOException {
    writeRelease("v1");
    Files.writeString(root.resolve("tweets/v1/groups/joy/hdbscan.bin"), "tampered");
    IOException e = assertThrows(IOException.class, () -> store().load("v1"));
    assertTrue(e.getMessage().contains("groups/joy/hdbscan.bin"), e.getMessage());
  }

  @Test
  void aGroupMetadataFileChangedToMatchItsFilesIsStillRefused() throws IOException {
    writeRelease("v1");
    Path metadata = root.resolve("tweets/v1/groups/joy/metadata.json");
    // a consistent but different group model: only the manifest's pin can tell
    Files.writeString(metadata, Files.readString(metadata).replace("\"v1\"", "\"v9\""));
    IOException e = assertThrows(IOException.class, () -> store().load("v1"));
    assertTrue(e.getMessage().contains("groups/joy/metadata.json"), e.getMessage());
  }

  @Test
  void aMissingGroupDirectoryRefusesTheRelease() throws IOException {
    writeRelease("v1");
    Path joy = root.resolve("tweets/v1/groups/joy");
    try (var files = Files.list(joy)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(joy);
    IOException e = assertThrows(IOException.class, () -> store().load("v1"));
    assertTrue(e.getMessage().contains("joy"), e.getMessage());
  }

  @Test
  void invalidGroupValuesCannotBeStored() {
    for (String bad : List.of("", " ", "x".repeat(GroupNames.MAX_CHARS + 1), "a\uD800b")) {
      assertThrows(
          IllegalArgumentException.class,
          () ->
              store()
                  .writeVersion(
                      ModelMetadataTest.sample("v1"),
                      files("global"),
                      List.of(
                          new ModelStore.GroupModel(
                              bad, ModelMetadataTest.sample("v1"), files("g")))),
          "group '" + bad + "'");
    }
  }

  @Test
  void groupNamesAreCheckedAndMappedToSafeDirectories() {
    assertEquals("joy", GroupNames.directoryName("joy"));
    assertEquals("en-GB_2.x", GroupNames.directoryName("en-GB_2.x"));
    assertEquals(GroupNames.directoryName("a b"), GroupNames.directoryName("a b"));
    assertTrue(GroupNames.directoryName("..").startsWith("_"));
    assertTrue(GroupNames.directoryName("_x").startsWith("_"));
    assertTrue(GroupNames.directoryName("x".repeat(65)).startsWith("_"));
    assertEquals(null, GroupNames.problem("x".repeat(GroupNames.MAX_CHARS)));
    assertEquals(null, GroupNames.problem("😀".repeat(GroupNames.MAX_CHARS)), "code points count");
    assertTrue(GroupNames.problem("x".repeat(GroupNames.MAX_CHARS + 1)).contains("129"));
    assertTrue(GroupNames.problem("").contains("empty"));
    assertTrue(GroupNames.problem("\uDC00").contains("UTF-8"));
    assertFalse(GroupNames.valid(null));
  }
}
