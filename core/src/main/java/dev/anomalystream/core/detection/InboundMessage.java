package dev.anomalystream.core.detection;

import com.google.auto.value.AutoValue;
import java.time.Instant;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;

/**
 * A decoded message entering the detector.
 *
 * <p>A Beam schema type: its coder is a {@code SchemaCoder} derived from the getters, so a new
 * field can be added to a running streaming job by {@code --update} (see {@link Detection} for what
 * such a field needs). AutoValue rather than a record: no schema provider of Beam 2.73 knows record
 * components ({@code AutoValueSchema} and {@code JavaBeanSchema} read only {@code get}/{@code is}
 * getters; apache/beam#27802 asks for records and is open), hence the getter names.
 *
 * <p>Times are held as epoch microseconds: Beam infers no schema type for {@code java.time.Instant}
 * (only Joda's, at milliseconds), and microseconds are what BigQuery's TIMESTAMP keeps, so a round
 * trip through any sink is exact. The {@code Instant} getters and setters are views of them.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class InboundMessage {

  /** The message id: the uid attribute, else the Pub/Sub message id. */
  @SchemaFieldNumber("0")
  public abstract String getUid();

  /** The UTF-8 text. */
  @SchemaFieldNumber("1")
  public abstract String getText();

  /** The label attribute, or null. */
  @SchemaFieldNumber("2")
  @Nullable
  public abstract String getLabel();

  @SchemaFieldNumber("3")
  @Nullable
  abstract Long getEventTimeMicros();

  @SchemaFieldNumber("4")
  abstract long getPublishTimeMicros();

  /**
   * The group the message belongs to (the detector's {@code --groupAttribute}), which picks the
   * group model that scores it; null without one, or when its value was invalid ({@link
   * MessageDecoder}).
   */
  @SchemaFieldNumber("5")
  @Nullable
  public abstract String getGroup();

  /** When the message entered the stream (the event_time attribute), or null. */
  public @Nullable Instant getEventTime() {
    Long micros = getEventTimeMicros();
    return micros == null ? null : EpochMicros.toInstant(micros);
  }

  /** When Pub/Sub received it. */
  public Instant getPublishTime() {
    return EpochMicros.toInstant(getPublishTimeMicros());
  }

  public static Builder builder() {
    return new AutoValue_InboundMessage.Builder();
  }

  public abstract Builder toBuilder();

  /** Builds an {@link InboundMessage}; uid, text and publish time are required. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setUid(String uid);

    public abstract Builder setText(String text);

    public abstract Builder setLabel(@Nullable String label);

    public abstract Builder setGroup(@Nullable String group);

    abstract Builder setEventTimeMicros(@Nullable Long micros);

    abstract Builder setPublishTimeMicros(long micros);

    /** Kept to the microsecond. */
    public Builder setEventTime(@Nullable Instant eventTime) {
      return setEventTimeMicros(eventTime == null ? null : EpochMicros.of(eventTime));
    }

    /** Kept to the microsecond. */
    public Builder setPublishTime(Instant publishTime) {
      return setPublishTimeMicros(
          EpochMicros.of(Objects.requireNonNull(publishTime, "publishTime")));
    }

    public abstract InboundMessage build();
  }
}
