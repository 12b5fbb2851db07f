package dev.anomalystream.core.failure;

import com.google.auto.value.AutoValue;
import dev.anomalystream.core.text.StrictUtf8;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The one error value shared by every pipeline: which stage failed, a reason a person can act on,
 * the original payload (bytes, exactly as received) with its attributes, when it happened and, when
 * an exception caused it, the exception's class and stack trace. Transforms that can fail emit
 * these on their dead-letter output instead of dropping or crashing, so the pipeline keeps running
 * and loses nothing.
 *
 * <p>A Beam schema type: its coder is derived from the fields by name, so a field added later (as
 * {@code exceptionClass} and {@code stackTrace} were) is a schema change a Dataflow {@code
 * --update} can check, not a positional byte layout that silently breaks. The time is a Joda
 * instant because Beam's schema inference maps only Joda instants to DATETIME.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class Failure implements Serializable {
  private static final long serialVersionUID = 2L;

  /**
   * How much of a stack trace a dead letter keeps. The top frames and the {@code Caused by} lines
   * that name the fault fit easily; a deep Beam or ONNX Runtime trace can run to tens of kilobytes,
   * repeated in every dead letter of a failure that hits thousands of elements, and each one is
   * stored and (in BigQuery) billed beside a payload that is usually much smaller.
   */
  public static final int MAX_STACK_TRACE_CHARS = 8_000;

  static final String TRUNCATED = "\n\t... (truncated)";

  public abstract String getStage();

  public abstract String getReason();

  @SuppressWarnings("mutable") // the raw bytes as received; never changed after building
  public abstract byte[] getPayload();

  public abstract Map<String, String> getAttributes();

  /** When it failed, to the millisecond (as every sink keeps it). */
  public abstract Instant getFailureTime();

  /** The class of the exception that caused the failure, or null when none did. */
  public abstract @Nullable String getExceptionClass();

  /** The exception's stack trace (causes included) up to {@link #MAX_STACK_TRACE_CHARS}. */
  public abstract @Nullable String getStackTrace();

  public static Builder builder() {
    return new AutoValue_Failure.Builder().setAttributes(Map.of());
  }

  /** A failure of {@code stage} with a text payload and no attributes, timed now. */
  public static Failure of(String stage, String reason, String textPayload) {
    return builder()
        .setStage(stage)
        .setReason(reason)
        .setPayload(textPayload.getBytes(StandardCharsets.UTF_8))
        .setFailureTime(Instant.now())
        .build();
  }

  /** When it failed, as a {@code java.time} instant. */
  public java.time.Instant time() {
    return java.time.Instant.ofEpochMilli(getFailureTime().getMillis());
  }

  /** True when the payload is valid UTF-8, so {@link #payloadAsText()} is the payload itself. */
  public boolean payloadIsUtf8() {
    return StrictUtf8.decodeOrNull(getPayload()) != null;
  }

  /** The payload as text when it is valid UTF-8, otherwise its base64 encoding. */
  public String payloadAsText() {
    String text = StrictUtf8.decodeOrNull(getPayload());
    return text != null ? text : Base64.getEncoder().encodeToString(getPayload());
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setStage(String stage);

    public abstract Builder setReason(String reason);

    public abstract Builder setPayload(byte[] payload);

    public abstract Builder setAttributes(Map<String, String> attributes);

    public abstract Builder setFailureTime(Instant time);

    public abstract Builder setExceptionClass(@Nullable String exceptionClass);

    public abstract Builder setStackTrace(@Nullable String stackTrace);

    public Builder setTime(java.time.Instant time) {
      return setFailureTime(new Instant(time.toEpochMilli()));
    }

    /** The exception that caused the failure: its class and its (capped) stack trace. */
    public Builder setException(Throwable exception) {
      StringWriter trace = new StringWriter();
      exception.printStackTrace(new PrintWriter(trace));
      return setExceptionClass(exception.getClass().getName())
          .setStackTrace(capped(trace.toString()));
    }

    abstract Map<String, String> getAttributes();

    abstract Failure autoBuild();

    /**
     * Builds the failure with its own copy of the attributes: Beam's schema coder decodes a map
     * view whose {@code hashCode} disagrees with an equal {@code Map.of}, so equal failures would
     * hash apart.
     */
    public Failure build() {
      return setAttributes(Map.copyOf(getAttributes())).autoBuild();
    }

    private static String capped(String trace) {
      return trace.length() <= MAX_STACK_TRACE_CHARS
          ? trace
          : trace.substring(0, MAX_STACK_TRACE_CHARS - TRUNCATED.length()) + TRUNCATED;
    }
  }
}
