package dev.anomalystream.core.failure;

import dev.anomalystream.core.text.StrictUtf8;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * The one error value shared by every pipeline: which stage failed, a reason a person can act on,
 * the original payload (bytes, exactly as received) with its attributes, and when it happened.
 * Transforms that can fail emit these on their dead-letter output instead of dropping or crashing,
 * so the pipeline keeps running and loses nothing.
 */
@DefaultCoder(FailureCoder.class)
public final class Failure implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String stage;
  private final String reason;
  private final byte[] payload;
  private final Map<String, String> attributes;
  private final Instant time;

  public Failure(
      String stage, String reason, byte[] payload, Map<String, String> attributes, Instant time) {
    this.stage = Objects.requireNonNull(stage, "stage");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.payload = payload == null ? new byte[0] : payload.clone();
    this.attributes =
        attributes == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(attributes));
    // millisecond precision, as every sink (BigQuery, JSON, the coder) keeps it
    this.time = Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.MILLIS);
  }

  public static Failure of(String stage, String reason, String textPayload) {
    return new Failure(
        stage, reason, textPayload.getBytes(StandardCharsets.UTF_8), Map.of(), Instant.now());
  }

  public String stage() {
    return stage;
  }

  public String reason() {
    return reason;
  }

  public byte[] payload() {
    return payload.clone();
  }

  public Map<String, String> attributes() {
    return attributes;
  }

  public Instant time() {
    return time;
  }

  /** True when the payload is valid UTF-8, so {@link #payloadAsText()} is the payload itself. */
  public boolean payloadIsUtf8() {
    return StrictUtf8.decodeOrNull(payload) != null;
  }

  /** The payload as text when it is valid UTF-8, otherwise its base64 encoding. */
  public String payloadAsText() {
    String text = StrictUtf8.decodeOrNull(payload);
    return text != null ? text : Base64.getEncoder().encodeToString(payload);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Failure)) {
      return false;
    }
    Failure f = (Failure) o;
    return stage.equals(f.stage)
        && reason.equals(f.reason)
        && Arrays.equals(payload, f.payload)
        && attributes.equals(f.attributes)
        && time.equals(f.time);
  }

  @Override
  public int hashCode() {
    return Objects.hash(stage, reason, Arrays.hashCode(payload), attributes, time);
  }

  @Override
  public String toString() {
    return "Failure{stage=" + stage + ", reason=" + reason + ", payload=" + payloadAsText() + "}";
  }
}
