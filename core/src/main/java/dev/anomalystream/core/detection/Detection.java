package dev.anomalystream.core.detection;

import com.google.auto.value.AutoValue;
import java.time.Instant;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;

/**
 * What the detector concluded about one message: one row of the detections table ({@link
 * DetectionRow}).
 *
 * <p>A Beam schema type (AutoValue, for the reasons given on {@link InboundMessage}): its coder is
 * a {@code SchemaCoder}, which writes a field count, a null bitmap and the fields in the order of
 * their {@link SchemaFieldNumber}s. Adding a field to a running streaming job ({@code --update})
 * therefore needs only that the field be {@link Nullable} (getter and builder setter) and take the
 * next field number: elements encoded before the update carry fewer fields and decode with the new
 * one null. Dataflow also matches old and new fields by name when it updates a job whose schema
 * changed (it sets the schema's encoding positions, apache/beam#14591). Never renumber, retype or
 * reuse a field; one no longer written stays, null. {@code DetectionSchemaEvolutionTest} holds
 * this.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class Detection {

  @SchemaFieldNumber("0")
  public abstract InboundMessage getMessage();

  /** HDBSCAN approximate-predict cluster; -1 = outside every cluster. */
  @SchemaFieldNumber("1")
  public abstract int getCluster();

  /** Membership probability in that cluster. */
  @SchemaFieldNumber("2")
  public abstract double getProbability();

  /** GLOSH outlier score, or null when not computed. */
  @SchemaFieldNumber("3")
  @Nullable
  public abstract Double getOutlierScore();

  /** Mean cosine distance to the k nearest training vectors, or null. */
  @SchemaFieldNumber("4")
  @Nullable
  public abstract Double getKnnScore();

  /** The decision. */
  @SchemaFieldNumber("5")
  public abstract boolean isAnomaly();

  /** The rule that decided, e.g. {@code glosh>0.83}, {@code knn>0.61}, {@code cluster}. */
  @SchemaFieldNumber("6")
  public abstract String getDecision();

  /** The threshold applied, or null under the cluster rule. */
  @SchemaFieldNumber("7")
  @Nullable
  public abstract Double getThreshold();

  @SchemaFieldNumber("8")
  public abstract String getModelVersion();

  @SchemaFieldNumber("9")
  public abstract String getEmbeddingModel();

  @SchemaFieldNumber("10")
  abstract long getProcessedTimeMicros();

  /** The L2-normalised embedding when rows keep it, else null. */
  @SchemaFieldNumber("11")
  @SuppressWarnings("mutable") // copying every vector on each read would cost more than it guards
  @Nullable
  public abstract float[] getEmbedding();

  /**
   * The message's place on the model version's 2-D map (its {@link
   * dev.anomalystream.core.model.Pca} basis), or null when the version has none.
   */
  @SchemaFieldNumber("12")
  @Nullable
  public abstract Double getMapX();

  @SchemaFieldNumber("13")
  @Nullable
  public abstract Double getMapY();

  /**
   * Whether online learning took the message into its memory as it passed; null when the detector
   * does not learn. Members of an adopted topic are learned later, listed by the topic's row.
   */
  @SchemaFieldNumber("14")
  @Nullable
  public abstract Boolean getLearned();

  /** The Half-Space Trees score (online learning with {@code --score=hst}), or null. */
  @SchemaFieldNumber("15")
  @Nullable
  public abstract Double getHstScore();

  /**
   * Similarities to the k nearest training vectors while online learning needs them (it merges them
   * with its memory's), else null; never written to rows.
   */
  @SchemaFieldNumber("16")
  @SuppressWarnings("mutable")
  @Nullable
  public abstract float[] getKnnSimilarities();

  /**
   * Which model of the release scored the message: {@code group} (its group's model) or {@code
   * global}; null for rows scored before releases had groups.
   */
  @SchemaFieldNumber("17")
  @Nullable
  public abstract String getModelScope();

  public Instant getProcessedTime() {
    return EpochMicros.toInstant(getProcessedTimeMicros());
  }

  /**
   * The score the decision compared with the threshold, or the GLOSH score under the cluster rule.
   */
  public @Nullable Double decisionScore() {
    if (getDecision().startsWith("hst")) {
      return getHstScore();
    }
    return getDecision().startsWith("knn") ? getKnnScore() : getOutlierScore();
  }

  /** Milliseconds from publish to processing: the detector's end-to-end latency. */
  public long latencyMillis() {
    return getProcessedTime().toEpochMilli() - getMessage().getPublishTime().toEpochMilli();
  }

  public static Builder builder() {
    return new AutoValue_Detection.Builder();
  }

  public abstract Builder toBuilder();

  /** Builds a {@link Detection}; every field not marked nullable is required. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setMessage(InboundMessage message);

    public abstract Builder setCluster(int cluster);

    public abstract Builder setProbability(double probability);

    public abstract Builder setOutlierScore(@Nullable Double outlierScore);

    public abstract Builder setKnnScore(@Nullable Double knnScore);

    public abstract Builder setAnomaly(boolean anomaly);

    public abstract Builder setDecision(String decision);

    public abstract Builder setThreshold(@Nullable Double threshold);

    public abstract Builder setModelVersion(String modelVersion);

    public abstract Builder setEmbeddingModel(String embeddingModel);

    abstract Builder setProcessedTimeMicros(long micros);

    public abstract Builder setEmbedding(@Nullable float[] embedding);

    public abstract Builder setMapX(@Nullable Double mapX);

    public abstract Builder setMapY(@Nullable Double mapY);

    public abstract Builder setLearned(@Nullable Boolean learned);

    public abstract Builder setHstScore(@Nullable Double hstScore);

    public abstract Builder setKnnSimilarities(@Nullable float[] similarities);

    public abstract Builder setModelScope(@Nullable String modelScope);

    /** Kept to the microsecond. */
    public Builder setProcessedTime(Instant processedTime) {
      return setProcessedTimeMicros(
          EpochMicros.of(Objects.requireNonNull(processedTime, "processedTime")));
    }

    public abstract Detection build();
  }
}
