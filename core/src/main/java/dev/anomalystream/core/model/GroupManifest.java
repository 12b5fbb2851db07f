package dev.anomalystream.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.anomalystream.core.json.Json;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code groups.json} of a release: each group model's directory under {@code groups/}, the sha256
 * of its {@code metadata.json} (which holds the sha256 of its other files, so the manifest pins
 * every byte of every group model), its training rows, its total size and the version that trained
 * it (an older one when the model was kept from an earlier release). The manifest is one of the
 * version's own files, so the version's {@code metadata.json} pins it in turn.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GroupManifest(@JsonProperty("groups") Map<String, Entry> groups) {
  public static final String FILE = "groups.json";

  public GroupManifest {
    // sorted by group, so the file (and its checksum) reads the same for the same groups
    groups = groups == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(groups));
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Entry(
      @JsonProperty("directory") String directory,
      @JsonProperty("metadata_sha256") String metadataSha256,
      @JsonProperty("trained_in_version") String trainedInVersion,
      @JsonProperty("row_count") Integer rowCount,
      @JsonProperty("bytes") long bytes) {}

  public byte[] toJson() {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + FILE, e);
    }
  }

  public static GroupManifest fromJson(byte[] json, String source) throws IOException {
    try {
      return Json.MAPPER.readValue(json, GroupManifest.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("cannot read " + source + ": " + e.getMessage(), e);
    }
  }
}
