package dev.anomalystream.core.model;

import dev.anomalystream.core.json.Json;
import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The versions of one model under {@code <root>/<model-name>/}: each version is a directory {@code
 * <version>/} holding {@code metadata.json} and the binary files it lists with their sha256, and
 * {@code LATEST} names the version the detector serves.
 *
 * <p>All IO goes through Beam's {@link FileSystems}, so a root may be a local directory or, with
 * the GCP extension on the classpath and {@link FileSystems#setDefaultPipelineOptions} called,
 * {@code gs://bucket/path}.
 *
 * <p>Readers never see half a version: {@code metadata.json} is written last, after every file was
 * read back and checked, and a directory without it is not a version. {@code LATEST} is replaced
 * atomically (a rename locally, a single object write on GCS). Every change of {@code LATEST} is
 * recorded as one file under {@code history/} ({@link LatestChange}: who, when, why, from which
 * version), one object per change because object stores cannot append.
 *
 * <p>A version may be a release with group models: {@code groups/<directory>/} per group, each laid
 * out as a version (its files and a {@code metadata.json} with their sha256), and {@code
 * groups.json} ({@link GroupManifest}) among the version's own files naming each group's directory
 * and the sha256 of its metadata.json. The groups are written before the version's metadata.json,
 * so the release is complete before it is a version, and one LATEST change publishes it whole.
 * Loading checks every group model as well: any missing or corrupt file refuses the release.
 */
public final class ModelStore {
  public static final String METADATA_FILE = "metadata.json";
  public static final String LATEST_FILE = "LATEST";
  public static final String HISTORY_DIRECTORY = "history";

  /** The directory of a version that holds its group models, one directory per group. */
  public static final String GROUPS_DIRECTORY = "groups";

  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final DateTimeFormatter VERSION_FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HISTORY_NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HISTORY_TIME = DateTimeFormatter.ISO_INSTANT;

  private final ResourceId modelDirectory;
  private final String modelName;

  private ModelStore(ResourceId modelDirectory, String modelName) {
    this.modelDirectory = modelDirectory;
    this.modelName = modelName;
  }

  /**
   * The store of model {@code modelName} under {@code root}.
   *
   * @param root a local directory (relative paths are resolved against the working directory) or a
   *     URI such as {@code gs://bucket/models}
   */
  public static ModelStore open(String root, String modelName) {
    requireSafeName(modelName, "model name");
    ResourceId directory =
        directory(root).resolve(modelName, StandardResolveOptions.RESOLVE_DIRECTORY);
    return new ModelStore(directory, modelName);
  }

  /**
   * Loads a model given either a version directory (one holding metadata.json) or a model directory
   * (one holding LATEST), as a person would point at either on a command line.
   */
  public static StoredModel loadDirectory(String path) throws IOException {
    ResourceId given = directory(path);
    if (exists(given.resolve(METADATA_FILE, StandardResolveOptions.RESOLVE_FILE))) {
      // a version directory may have been copied or renamed: trust its own metadata for names
      return readVersion(given, null, null);
    }
    if (exists(given.resolve(LATEST_FILE, StandardResolveOptions.RESOLVE_FILE))) {
      return new ModelStore(given, lastSegment(given.toString())).loadLatest();
    }
    throw new FileNotFoundException(
        path
            + " is neither a model version directory (with "
            + METADATA_FILE
            + ") nor a model directory (with "
            + LATEST_FILE
            + ")");
  }

  /** A version name for a model trained at {@code time}: UTC, sorts in time order. */
  public static String versionNameFor(Instant time) {
    return VERSION_FORMAT.format(time);
  }

  public String modelName() {
    return modelName;
  }

  /** {@code <root>/<model-name>/}, for messages. */
  public String location() {
    return modelDirectory.toString();
  }

  /**
   * Writes a new version: each file (its sha256 computed as it is written), then reads every file
   * back to check it, then metadata.json with the checksums. Does not publish it.
   *
   * @param metadata the version's metadata; its model name must be this store's and its version a
   *     new one; its file checksums are replaced by the ones computed here
   * @param files file name → what writes it
   * @return the metadata as written, with the checksums
   * @throws IOException when the version exists already, a write fails, or a file read back differs
   *     from what was written
   */
  public ModelMetadata writeVersion(ModelMetadata metadata, Map<String, ArtifactWriter> files)
      throws IOException {
    return writeVersion(metadata, files, List.of());
  }

  /**
   * A group model to store in a release: the group value, its metadata (checksums are computed
   * here) and its files.
   */
  public record GroupModel(
      String group, ModelMetadata metadata, Map<String, ArtifactWriter> files) {
    /** A group model of an earlier release, stored again unchanged (its metadata with it). */
    public static GroupModel kept(String group, StoredModel stored) {
      return new GroupModel(group, stored.metadata(), stored.artifacts());
    }
  }

  /**
   * Writes a new version as {@link #writeVersion(ModelMetadata, Map)} does, with group models: each
   * group's files and metadata.json under {@code groups/<directory>/}, read back and checked, then
   * {@code groups.json} as one of the version's files, then the version's metadata.json last. With
   * no groups the version is laid out as one without them.
   *
   * @throws IllegalArgumentException when a group value cannot name a group model, or two groups
   *     share a value
   */
  public ModelMetadata writeVersion(
      ModelMetadata metadata, Map<String, ArtifactWriter> files, List<GroupModel> groups)
      throws IOException {
    if (!metadata.modelName().equals(modelName)) {
      throw new IllegalArgumentException(
          "metadata names model " + metadata.modelName() + " but this store holds " + modelName);
    }
    String version = metadata.version();
    requireSafeName(version, "version");
    ResourceId versionDirectory = versionDirectory(version);
    if (exists(versionDirectory.resolve(METADATA_FILE, StandardResolveOptions.RESOLVE_FILE))) {
      throw new IOException("model version " + versionDirectory + " exists already");
    }
    Map<String, ArtifactWriter> versionFiles = new LinkedHashMap<>(files);
    if (!groups.isEmpty()) {
      if (versionFiles.containsKey(GroupManifest.FILE)) {
        throw new IllegalArgumentException(GroupManifest.FILE + " is written by the store itself");
      }
      Map<String, GroupManifest.Entry> entries = new LinkedHashMap<>();
      for (GroupModel group : groups) {
        if (!group.metadata().modelName().equals(modelName)) {
          throw new IllegalArgumentException(
              "group " + group.group() + " names model " + group.metadata().modelName());
        }
        String directoryName = GroupNames.directoryName(group.group());
        if (entries.containsKey(group.group())) {
          throw new IllegalArgumentException("group " + group.group() + " is given twice");
        }
        ResourceId groupDirectory =
            versionDirectory
                .resolve(GROUPS_DIRECTORY, StandardResolveOptions.RESOLVE_DIRECTORY)
                .resolve(directoryName, StandardResolveOptions.RESOLVE_DIRECTORY);
        Written written = writeFiles(groupDirectory, group.metadata(), group.files());
        Integer rows =
            group.metadata().training() == null ? null : group.metadata().training().rowCount();
        entries.put(
            group.group(),
            new GroupManifest.Entry(
                directoryName,
                written.metadataSha256(),
                group.metadata().version(),
                rows,
                written.bytes()));
      }
      byte[] manifest = new GroupManifest(entries).toJson();
      versionFiles.put(GroupManifest.FILE, out -> out.write(manifest));
    }
    return writeFiles(versionDirectory, metadata, versionFiles).metadata();
  }

  private record Written(ModelMetadata metadata, String metadataSha256, long bytes) {}

  /** Writes files, reads them back to check them, then metadata.json with their checksums. */
  private static Written writeFiles(
      ResourceId directory, ModelMetadata metadata, Map<String, ArtifactWriter> files)
      throws IOException {
    Map<String, String> checksums = new LinkedHashMap<>();
    for (Map.Entry<String, ArtifactWriter> file : files.entrySet()) {
      String fileName = file.getKey();
      requireSafeName(fileName, "file name");
      if (fileName.equals(METADATA_FILE)) {
        throw new IllegalArgumentException(METADATA_FILE + " is written by the store itself");
      }
      ResourceId target = directory.resolve(fileName, StandardResolveOptions.RESOLVE_FILE);
      checksums.put(fileName, write(target, file.getValue()));
    }
    long bytes = 0;
    for (Map.Entry<String, String> checksum : checksums.entrySet()) {
      ResourceId target = directory.resolve(checksum.getKey(), StandardResolveOptions.RESOLVE_FILE);
      byte[] content = readAll(target);
      verify(target, checksum.getValue(), content);
      bytes += content.length;
    }
    ModelMetadata withChecksums = metadata.withFileSha256(checksums);
    byte[] json = withChecksums.toJson();
    ResourceId metadataFile = directory.resolve(METADATA_FILE, StandardResolveOptions.RESOLVE_FILE);
    String metadataSha256 = write(metadataFile, out -> out.write(json));
    ModelMetadata.fromJson(readAll(metadataFile), metadataFile.toString());
    return new Written(withChecksums, metadataSha256, bytes + json.length);
  }

  /** The complete versions (those with metadata.json), oldest name first. */
  public List<String> listVersions() throws IOException {
    String pattern =
        modelDirectory
            .resolve("*", StandardResolveOptions.RESOLVE_DIRECTORY)
            .resolve(METADATA_FILE, StandardResolveOptions.RESOLVE_FILE)
            .toString();
    MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
    List<String> versions = new ArrayList<>();
    if (match.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata found : match.metadata()) {
        versions.add(parentName(found.resourceId()));
      }
    }
    versions.sort(null);
    return versions;
  }

  /**
   * Makes {@code version} the one {@link #readLatest()} returns, replacing LATEST in one atomic
   * step so a reader sees the old or the new name, never a partial one.
   *
   * @throws IOException when the version is not a complete version of this store
   */
  public void publishLatest(String version) throws IOException {
    publishLatest(version, LatestChange.TRAIN, LatestChange.currentUser(), "trained");
  }

  /**
   * Makes {@code version} LATEST as {@link #publishLatest(String)} does, and records the change
   * under {@code history/} (written after LATEST: a failed record never leaves LATEST unchanged
   * with a change claimed).
   *
   * @param action what the change is ({@link LatestChange#TRAIN}, {@link LatestChange#PROMOTE},
   *     {@link LatestChange#ROLLBACK})
   * @return the change as recorded
   */
  public LatestChange publishLatest(String version, String action, String by, String reason)
      throws IOException {
    requireSafeName(version, "version");
    requireSafeName(action, "action");
    String previous = readLatest().orElse(null);
    replaceLatest(version);
    Instant now = Instant.now();
    LatestChange change =
        new LatestChange(action, version, previous, by, HISTORY_TIME.format(now), reason);
    ResourceId record =
        modelDirectory
            .resolve(HISTORY_DIRECTORY, StandardResolveOptions.RESOLVE_DIRECTORY)
            .resolve(
                HISTORY_NAME.format(now) + "-" + action + "-" + version + ".json",
                StandardResolveOptions.RESOLVE_FILE);
    write(record, out -> out.write(Json.MAPPER.writeValueAsBytes(change)));
    return change;
  }

  /** Every recorded change of LATEST, oldest first; none for stores older than the record. */
  public List<LatestChange> history() throws IOException {
    String pattern =
        modelDirectory
            .resolve(HISTORY_DIRECTORY, StandardResolveOptions.RESOLVE_DIRECTORY)
            .resolve("*.json", StandardResolveOptions.RESOLVE_FILE)
            .toString();
    MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
    List<ResourceId> files = new ArrayList<>();
    if (match.status() == MatchResult.Status.OK) {
      match.metadata().forEach(found -> files.add(found.resourceId()));
    }
    // the names start with the time to the millisecond, so name order is time order
    files.sort(Comparator.comparing(ResourceId::getFilename));
    List<LatestChange> changes = new ArrayList<>();
    for (ResourceId file : files) {
      changes.add(Json.MAPPER.readValue(readAll(file), LatestChange.class));
    }
    return changes;
  }

  /** A version's metadata alone, without reading and checking its files. */
  public ModelMetadata readMetadata(String version) throws IOException {
    requireSafeName(version, "version");
    ResourceId metadataFile =
        versionDirectory(version).resolve(METADATA_FILE, StandardResolveOptions.RESOLVE_FILE);
    return ModelMetadata.fromJson(readAll(metadataFile), metadataFile.toString());
  }

  /**
   * A version's group manifest alone, without reading and checking its group models; empty for a
   * version without groups.
   */
  public Optional<GroupManifest> readGroupManifest(String version) throws IOException {
    requireSafeName(version, "version");
    ResourceId manifest =
        versionDirectory(version).resolve(GroupManifest.FILE, StandardResolveOptions.RESOLVE_FILE);
    if (!readMetadata(version).fileSha256().containsKey(GroupManifest.FILE)) {
      return Optional.empty();
    }
    return Optional.of(GroupManifest.fromJson(readAll(manifest), manifest.toString()));
  }

  private void replaceLatest(String version) throws IOException {
    if (!exists(
        versionDirectory(version).resolve(METADATA_FILE, StandardResolveOptions.RESOLVE_FILE))) {
      throw new FileNotFoundException(
          "cannot publish "
              + version
              + ": "
              + versionDirectory(version)
              + " has no "
              + METADATA_FILE);
    }
    byte[] content = (version + "\n").getBytes(StandardCharsets.UTF_8);
    ResourceId latest = modelDirectory.resolve(LATEST_FILE, StandardResolveOptions.RESOLVE_FILE);
    if ("file".equals(latest.getScheme())) {
      Path target = Paths.get(latest.toString());
      Path temporary = Files.createTempFile(target.getParent(), LATEST_FILE + ".", ".tmp");
      try {
        Files.write(temporary, content);
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } else {
      // object stores replace a whole object in one write: readers see old or new, never half
      write(latest, out -> out.write(content));
    }
  }

  /** The version LATEST names, or empty when nothing was published yet. */
  public Optional<String> readLatest() throws IOException {
    ResourceId latest = modelDirectory.resolve(LATEST_FILE, StandardResolveOptions.RESOLVE_FILE);
    if (!exists(latest)) {
      return Optional.empty();
    }
    String version = new String(readAll(latest), StandardCharsets.UTF_8).trim();
    if (!SAFE_NAME.matcher(version).matches()) {
      throw new IOException(latest + " does not hold a version name: '" + version + "'");
    }
    return Optional.of(version);
  }

  /** Loads the published version. */
  public StoredModel loadLatest() throws IOException {
    String version =
        readLatest()
            .orElseThrow(
                () ->
                    new FileNotFoundException(
                        "no version of model "
                            + modelName
                            + " was published: "
                            + modelDirectory
                            + " has no "
                            + LATEST_FILE));
    return load(version);
  }

  /**
   * Loads a version and checks every file against its recorded sha256.
   *
   * @throws IOException naming the file when one is missing, truncated or corrupt, or when
   *     metadata.json is unreadable or belongs to another version
   */
  public StoredModel load(String version) throws IOException {
    requireSafeName(version, "version");
    return readVersion(versionDirectory(version), modelName, version);
  }

  /**
   * Reads and checks a version directory; {@code expectedModelName} and {@code expectedVersion},
   * when not null, must be what its metadata says.
   */
  private static StoredModel readVersion(
      ResourceId versionDirectory, String expectedModelName, String expectedVersion)
      throws IOException {
    ResourceId metadataFile =
        versionDirectory.resolve(METADATA_FILE, StandardResolveOptions.RESOLVE_FILE);
    if (!exists(metadataFile)) {
      throw new FileNotFoundException(
          "model version " + versionDirectory + " has no " + METADATA_FILE);
    }
    ModelMetadata metadata = ModelMetadata.fromJson(readAll(metadataFile), metadataFile.toString());
    if ((expectedVersion != null && !metadata.version().equals(expectedVersion))
        || (expectedModelName != null && !metadata.modelName().equals(expectedModelName))) {
      throw new IOException(
          metadataFile
              + " describes model "
              + metadata.modelName()
              + " version "
              + metadata.version()
              + ", not "
              + expectedModelName
              + " version "
              + expectedVersion);
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (Map.Entry<String, String> checksum : metadata.fileSha256().entrySet()) {
      ResourceId file =
          versionDirectory.resolve(checksum.getKey(), StandardResolveOptions.RESOLVE_FILE);
      if (!exists(file)) {
        throw new FileNotFoundException(
            "model version "
                + versionDirectory
                + " is missing "
                + checksum.getKey()
                + ", which "
                + METADATA_FILE
                + " lists");
      }
      byte[] content = readAll(file);
      verify(file, checksum.getValue(), content);
      files.put(checksum.getKey(), content);
    }
    Map<String, StoredModel> groups = new LinkedHashMap<>();
    byte[] manifestBytes = files.get(GroupManifest.FILE);
    if (manifestBytes != null) {
      String manifestLocation = versionDirectory + GroupManifest.FILE;
      GroupManifest manifest = GroupManifest.fromJson(manifestBytes, manifestLocation);
      for (Map.Entry<String, GroupManifest.Entry> entry : manifest.groups().entrySet()) {
        groups.put(
            entry.getKey(),
            readGroup(versionDirectory, entry.getKey(), entry.getValue(), metadata.modelName()));
      }
    }
    return new StoredModel(metadata, versionDirectory.toString(), files, groups);
  }

  /**
   * Reads and checks one group model of a release: its directory must be the one its value maps to
   * (a manifest cannot point outside {@code groups/}), its metadata.json the one the manifest pins,
   * and its files the ones that metadata pins.
   */
  private static StoredModel readGroup(
      ResourceId versionDirectory, String group, GroupManifest.Entry entry, String modelName)
      throws IOException {
    String expectedDirectory;
    try {
      expectedDirectory = GroupNames.directoryName(group);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          versionDirectory + GroupManifest.FILE + " lists an invalid group: " + e.getMessage());
    }
    if (!expectedDirectory.equals(entry.directory())) {
      throw new IOException(
          versionDirectory
              + GroupManifest.FILE
              + " puts group "
              + group
              + " in "
              + entry.directory()
              + ", not "
              + expectedDirectory);
    }
    ResourceId groupDirectory =
        versionDirectory
            .resolve(GROUPS_DIRECTORY, StandardResolveOptions.RESOLVE_DIRECTORY)
            .resolve(expectedDirectory, StandardResolveOptions.RESOLVE_DIRECTORY);
    ResourceId metadataFile =
        groupDirectory.resolve(METADATA_FILE, StandardResolveOptions.RESOLVE_FILE);
    if (!exists(metadataFile)) {
      throw new FileNotFoundException(
          "group model " + group + " of " + versionDirectory + " has no " + metadataFile);
    }
    verify(metadataFile, entry.metadataSha256(), readAll(metadataFile));
    StoredModel stored = readVersion(groupDirectory, modelName, null);
    if (!stored.groups().isEmpty()) {
      throw new IOException("group model " + groupDirectory + " holds group models itself");
    }
    return stored;
  }

  private ResourceId versionDirectory(String version) {
    return modelDirectory.resolve(version, StandardResolveOptions.RESOLVE_DIRECTORY);
  }

  private static ResourceId directory(String path) {
    boolean isUri = path.contains("://");
    String spec = isUri ? path : Paths.get(path).toAbsolutePath().normalize().toString();
    return FileSystems.matchNewResource(spec, true);
  }

  private static String parentName(ResourceId file) {
    return lastSegment(file.getCurrentDirectory().toString());
  }

  /** "a/b/c/" or "a/b/c" → "c". */
  private static String lastSegment(String path) {
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  private static void requireSafeName(String name, String what) {
    if (name == null || !SAFE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid " + what + " '" + name + "': use letters, digits, '.', '_' and '-' only");
    }
  }

  private static boolean exists(ResourceId file) throws IOException {
    MatchResult match = FileSystems.match(file.toString(), EmptyMatchTreatment.ALLOW);
    return match.status() == MatchResult.Status.OK && !match.metadata().isEmpty();
  }

  /** Writes a file and returns its sha256. */
  private static String write(ResourceId target, ArtifactWriter writer) throws IOException {
    MessageDigest digest = sha256();
    try (OutputStream out =
        new BufferedOutputStream(
            new DigestOutputStream(
                Channels.newOutputStream(FileSystems.create(target, MimeTypes.BINARY)), digest),
            1 << 16)) {
      writer.writeTo(out);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static byte[] readAll(ResourceId file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      return in.readAllBytes();
    }
  }

  private static void verify(ResourceId file, String expectedSha256, byte[] content)
      throws IOException {
    String actual = HexFormat.of().formatHex(sha256().digest(content));
    if (!actual.equalsIgnoreCase(expectedSha256)) {
      throw new IOException(
          file
              + " is corrupt or truncated: its sha256 is "
              + actual
              + " ("
              + content.length
              + " bytes) but "
              + METADATA_FILE
              + " records "
              + expectedSha256);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
