package dev.anomalystream.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One change of a model's {@code LATEST}, as the store records it under {@code history/}: what was
 * done ({@value #TRAIN}, {@value #PROMOTE}, {@value #ROLLBACK}), to which version, from which one,
 * by whom, when and why.
 *
 * @param previous the version LATEST named before, or null when there was none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LatestChange(
    @JsonProperty("action") String action,
    @JsonProperty("version") String version,
    @JsonProperty("previous") String previous,
    @JsonProperty("by") String by,
    @JsonProperty("at") String at,
    @JsonProperty("reason") String reason) {
  public static final String TRAIN = "train";
  public static final String PROMOTE = "promote";
  public static final String ROLLBACK = "rollback";

  /** Who changes LATEST when no one is named: the operating-system user. */
  public static String currentUser() {
    return System.getProperty("user.name", "unknown");
  }

  public Instant time() {
    return Instant.parse(at);
  }
}
