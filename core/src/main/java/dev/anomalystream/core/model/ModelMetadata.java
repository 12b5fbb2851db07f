package dev.anomalystream.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.anomalystream.core.embedding.EmbeddingModelSpec;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a stored model version is: how it was trained, on what, with which embedding model, how it
 * decides, and the sha256 of each of its files. Written as {@code metadata.json}.
 *
 * <p>{@code calibration} is the threshold in use; {@code alternative_calibrations} hold thresholds
 * for the other scores, set on the same held-out rows. {@code drift} describes the window drift
 * reference in {@code drift.bin} ({@link DriftReference}); versions trained before it have none.
 * {@code autoencoder} describes the network in {@code autoencoder.onnx} ({@link Autoencoder}), for
 * versions trained with one.
 *
 * <p>Every field other than the identity of the model and its embedding may be null, and unknown
 * fields are ignored, so a version written by older or newer code still loads.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelMetadata(
    @JsonProperty("format_version") int formatVersion,
    @JsonProperty("model_name") String modelName,
    @JsonProperty("version") String version,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("code_version") String codeVersion,
    @JsonProperty("embedding") Embedding embedding,
    @JsonProperty("hyperparameters") Hyperparameters hyperparameters,
    @JsonProperty("training") Training training,
    @JsonProperty("calibration") CalibrationRecord calibration,
    @JsonProperty("alternative_calibrations") List<CalibrationRecord> alternativeCalibrations,
    @JsonProperty("drift") Drift drift,
    @JsonProperty("autoencoder") AutoencoderRecord autoencoder,
    @JsonProperty("files") Map<String, String> fileSha256) {

  /** The metadata layout this code writes; readers accept any, relying on nullable fields. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON =
      Json.MAPPER
          .copy()
          .registerModule(
              new SimpleModule("instant-as-iso-8601")
                  .addSerializer(Instant.class, new InstantSerializer())
                  .addDeserializer(Instant.class, new InstantDeserializer()))
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public ModelMetadata {
    requireText(modelName, "model_name");
    requireText(version, "version");
    if (embedding == null) {
      throw new IllegalArgumentException("metadata field 'embedding' is missing");
    }
    alternativeCalibrations =
        alternativeCalibrations == null ? List.of() : List.copyOf(alternativeCalibrations);
    fileSha256 = fileSha256 == null ? Map.of() : Map.copyOf(new TreeMap<>(fileSha256));
  }

  /**
   * The embedding the model was trained on: the detector must embed the same way. {@code spec} is
   * how that embedder was opened ({@link EmbeddingModelSpec}); versions written before it was
   * recorded have none.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Embedding(
      @JsonProperty("model_id") String modelId,
      @JsonProperty("dimension") int dimension,
      @JsonProperty("pooling") String pooling,
      @JsonProperty("normalization") String normalization,
      @JsonProperty("spec") String spec) {
    public Embedding {
      requireText(modelId, "embedding.model_id");
      if (dimension < 1) {
        throw new IllegalArgumentException(
            "metadata field 'embedding.dimension' must be positive, was " + dimension);
      }
    }

    /** An embedding that records no spec, as versions written before the spec was recorded. */
    public Embedding(String modelId, int dimension, String pooling, String normalization) {
      this(modelId, dimension, pooling, normalization, null);
    }

    /** What the given embedder produces: its model, dimension, pooling, L2 vectors. */
    public static Embedding of(SentenceEmbedder embedder) {
      return new Embedding(
          embedder.modelId(),
          embedder.dimension(),
          embedder.pooling().name().toLowerCase(Locale.ROOT),
          "l2",
          embedder.spec());
    }

    /**
     * The embedding model to embed with for this version: {@code requested} when one is given; else
     * the spec recorded at training time; else, for older versions, the builtin with the recorded
     * id; else the default (which {@link #requireEmbedding} then checks).
     */
    public String specToServe(String requested) {
      if (requested != null && !requested.isBlank()) {
        return requested.trim();
      }
      if (spec != null) {
        return spec;
      }
      return EmbeddingModelSpec.builtinWithModelId(modelId)
          .map(EmbeddingModelSpec::toString)
          .orElse(EmbeddingModelSpec.DEFAULT);
    }
  }

  /** The fit's settings; null for a setting the model version did not record. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Hyperparameters(
      @JsonProperty("min_cluster_size") Integer minClusterSize,
      @JsonProperty("min_samples") Integer minSamples,
      @JsonProperty("knn_k") Integer knnK) {}

  /**
   * What the model was fitted on and what the fit found.
   *
   * @param rowCount the fit rows (the training rows not held out for calibration)
   * @param clusterSampleRows the rows HDBSCAN was fitted on when it was a sample of them, else null
   * @param knnReferenceRows the kNN score's reference rows when not every fit row, else null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Training(
      @JsonProperty("row_count") Integer rowCount,
      @JsonProperty("cluster_sizes") List<Integer> clusterSizes,
      @JsonProperty("noise_fraction") Double noiseFraction,
      @JsonProperty("source") TrainingSource source,
      @JsonProperty("cluster_sample_rows") Integer clusterSampleRows,
      @JsonProperty("knn_reference_rows") Integer knnReferenceRows) {
    public Training {
      clusterSizes = clusterSizes == null ? null : List.copyOf(clusterSizes);
    }

    /** A fit of every row, which are also the kNN reference. */
    public Training(
        Integer rowCount, List<Integer> clusterSizes, Double noiseFraction, TrainingSource source) {
      this(rowCount, clusterSizes, noiseFraction, source, null, null);
    }
  }

  /**
   * Where the training rows came from: {@code kind} such as "file" or "bigquery", a description a
   * person can follow back (a path, a query), and the time range of the rows when known.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record TrainingSource(
      @JsonProperty("kind") String kind,
      @JsonProperty("description") String description,
      @JsonProperty("from") Instant from,
      @JsonProperty("to") Instant to,
      @JsonProperty("row_count") Long rowCount) {}

  /**
   * How a decision threshold was set: the score it applies to, the threshold (anomalous when {@code
   * score > threshold}), the false-alarm rate aimed at, the one reached on the held-out normal rows
   * and the cross-checked estimate for new rows (see {@link Calibration}); the method that set it
   * and that method's inputs. Records without a method (older versions, and the alternatives) were
   * set by {@link ThresholdMethod#FALSE_ALARM}.
   *
   * @param percentile the percentile of {@link ThresholdMethod#PERCENTILE}
   * @param labelledAnomalies how many labelled anomalies {@link ThresholdMethod#BEST_F1} used
   * @param labelledAnomaliesSource where they came from
   * @param labelledAnomalyRecall the share of them above the threshold (an optimistic figure: the
   *     threshold was chosen on them)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record CalibrationRecord(
      @JsonProperty("score") ScoreKind score,
      @JsonProperty("threshold") Double threshold,
      @JsonProperty("target_false_alarm_rate") Double targetFalseAlarmRate,
      @JsonProperty("calibration_set_size") Integer calibrationSetSize,
      @JsonProperty("achieved_false_alarm_rate") Double achievedFalseAlarmRate,
      @JsonProperty("cross_checked_false_alarm_rate") Double crossCheckedFalseAlarmRate,
      @JsonProperty("method") ThresholdMethod method,
      @JsonProperty("percentile") Double percentile,
      @JsonProperty("labelled_anomalies") Integer labelledAnomalies,
      @JsonProperty("labelled_anomalies_source") String labelledAnomaliesSource,
      @JsonProperty("labelled_anomaly_recall") Double labelledAnomalyRecall) {

    /** A record of a false-alarm calibration that names no method, as older versions wrote. */
    public CalibrationRecord(
        ScoreKind score,
        Double threshold,
        Double targetFalseAlarmRate,
        Integer calibrationSetSize,
        Double achievedFalseAlarmRate,
        Double crossCheckedFalseAlarmRate) {
      this(
          score,
          threshold,
          targetFalseAlarmRate,
          calibrationSetSize,
          achievedFalseAlarmRate,
          crossCheckedFalseAlarmRate,
          null,
          null,
          null,
          null,
          null);
    }

    public static CalibrationRecord of(ScoreKind score, Calibration calibration) {
      return new CalibrationRecord(
          score,
          calibration.threshold(),
          calibration.targetFalseAlarmRate(),
          calibration.calibrationSetSize(),
          calibration.achievedFalseAlarmRate(),
          Double.isNaN(calibration.crossCheckedFalseAlarmRate())
              ? null
              : calibration.crossCheckedFalseAlarmRate());
    }

    /** This record naming the method that set it and the method's inputs. */
    public CalibrationRecord withMethod(ThresholdChoice choice, Double labelledAnomalyRecall) {
      return new CalibrationRecord(
          score,
          threshold,
          targetFalseAlarmRate,
          calibrationSetSize,
          achievedFalseAlarmRate,
          crossCheckedFalseAlarmRate,
          choice.method(),
          choice.method() == ThresholdMethod.PERCENTILE ? choice.percentile() : null,
          choice.method() == ThresholdMethod.BEST_F1 ? choice.labelledAnomalies().length : null,
          choice.method() == ThresholdMethod.BEST_F1 ? choice.labelledAnomaliesSource() : null,
          labelledAnomalyRecall);
    }
  }

  /**
   * The drift reference of the version ({@link DriftReference}): the statistic, its reference, and
   * how its threshold was calibrated. A window drifts when {@code -log10(p) >= threshold} (the
   * threshold for {@code assumed_window_slide_minutes}; the detector recomputes it for its own
   * slide) and its effect size {@code w >= min_effect}.
   *
   * @param statistic what is computed per window
   * @param cells reference cells (k-means centres of the fitted vectors), besides the anomaly cell
   * @param referenceShares share of the fitted vectors nearest each cell
   * @param referenceSize how many fitted vectors the shares were counted over
   * @param expectedAnomalyRate share of held-out normal messages the decision flags
   * @param targetFalseDriftRate false drift windows per day the threshold allows
   * @param assumedWindowSlideMinutes the slide {@code threshold} and {@code min_effect} were set
   *     for
   * @param threshold the {@code -log10(p)} a window must reach at that slide
   * @param minEffect the Cohen's w a window must reach too; 0 when the null simulation needed none
   * @param minMessages windows with fewer messages never drift
   * @param nullSimulations the false drift rates of windows resampled from the held-out rows
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Drift(
      @JsonProperty("statistic") String statistic,
      @JsonProperty("cells") Integer cells,
      @JsonProperty("reference_shares") List<Double> referenceShares,
      @JsonProperty("reference_size") Integer referenceSize,
      @JsonProperty("expected_anomaly_rate") Double expectedAnomalyRate,
      @JsonProperty("target_false_drift_rate") Double targetFalseDriftRate,
      @JsonProperty("assumed_window_slide_minutes") Double assumedWindowSlideMinutes,
      @JsonProperty("threshold") Double threshold,
      @JsonProperty("min_effect") Double minEffect,
      @JsonProperty("min_messages") Integer minMessages,
      @JsonProperty("null_simulations") List<NullSimulation> nullSimulations) {
    public Drift {
      referenceShares = referenceShares == null ? null : List.copyOf(referenceShares);
      nullSimulations = nullSimulations == null ? null : List.copyOf(nullSimulations);
    }
  }

  /**
   * How the version's autoencoder was trained.
   *
   * @param layers the widths of its layers, input first (e.g. 384, 128, 32, 128, 384)
   * @param activations the activation after each dense layer but the last (which has none)
   * @param error how a reconstruction's error is measured
   * @param epochs passes over the fitted vectors
   * @param batchSize vectors per optimiser step
   * @param learningRate Adam's learning rate
   * @param seed the seed of the initial weights and the batch order
   * @param finalLoss the mean squared error per coordinate over the fitted vectors after training
   * @param trainingSeconds how long training took
   * @param engine what trained it
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AutoencoderRecord(
      @JsonProperty("layers") List<Integer> layers,
      @JsonProperty("activations") List<String> activations,
      @JsonProperty("error") String error,
      @JsonProperty("epochs") Integer epochs,
      @JsonProperty("batch_size") Integer batchSize,
      @JsonProperty("learning_rate") Double learningRate,
      @JsonProperty("seed") Long seed,
      @JsonProperty("final_loss") Double finalLoss,
      @JsonProperty("training_seconds") Double trainingSeconds,
      @JsonProperty("engine") String engine) {
    public AutoencoderRecord {
      layers = layers == null ? null : List.copyOf(layers);
      activations = activations == null ? null : List.copyOf(activations);
    }
  }

  /**
   * False drift rates (per window) of {@code draws} windows of {@code window_messages} messages
   * resampled from the held-out normal rows.
   *
   * @param falseDriftRateOfThreshold share of windows at or above the threshold alone
   * @param falseDriftRate share of windows that drift (threshold and min_effect)
   * @param perWindowTarget the per-window rate the target allows at the assumed slide
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record NullSimulation(
      @JsonProperty("window_messages") Integer windowMessages,
      @JsonProperty("draws") Integer draws,
      @JsonProperty("false_drift_rate_of_threshold") Double falseDriftRateOfThreshold,
      @JsonProperty("simulated_false_drift_rate") Double falseDriftRate,
      @JsonProperty("per_window_target") Double perWindowTarget)
      implements java.io.Serializable {}

  /**
   * The calibration for {@code score}: the one in use, or one of the alternatives stored so the
   * detector can switch scores without recalibrating.
   */
  public Optional<CalibrationRecord> calibrationFor(ScoreKind score) {
    if (calibration != null && calibration.score() == score) {
      return Optional.of(calibration);
    }
    return alternativeCalibrations.stream().filter(c -> c.score() == score).findFirst();
  }

  /** A copy with the given file checksums (file name → lowercase hex sha256). */
  public ModelMetadata withFileSha256(Map<String, String> checksums) {
    return new ModelMetadata(
        formatVersion,
        modelName,
        version,
        createdAt,
        codeVersion,
        embedding,
        hyperparameters,
        training,
        calibration,
        alternativeCalibrations,
        drift,
        autoencoder,
        checksums);
  }

  /**
   * Fails unless the model was trained on the embedding the caller produces: vectors of another
   * model or dimension would be scored silently wrong, so this is checked when a model loads.
   *
   * @throws IncompatibleModelException naming both models and dimensions
   */
  public void requireEmbedding(String runningModelId, int runningDimension) {
    if (!embedding.modelId().equals(runningModelId) || embedding.dimension() != runningDimension) {
      throw new IncompatibleModelException(
          "model "
              + modelName
              + " version "
              + version
              + " was trained on embedding model '"
              + embedding.modelId()
              + "' ("
              + embedding.dimension()
              + " dimensions) but the detector runs '"
              + runningModelId
              + "' ("
              + runningDimension
              + " dimensions); retrain the model or run the detector with the model's embedding");
    }
  }

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write model metadata as JSON", e);
    }
  }

  /**
   * Parses metadata.json.
   *
   * @param source where the bytes came from, for the error message
   * @throws IOException naming the source when the JSON is malformed or a required field is missing
   */
  public static ModelMetadata fromJson(byte[] json, String source) throws IOException {
    try {
      return JSON.readValue(json, ModelMetadata.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("cannot read model metadata " + source + ": " + e.getMessage(), e);
    }
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("metadata field '" + field + "' is missing or empty");
    }
  }

  private static final class InstantSerializer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(value.toString());
    }
  }

  private static final class InstantDeserializer extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      String text = parser.getValueAsString();
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw context.weirdStringException(text, Instant.class, "not an ISO-8601 instant");
      }
    }
  }
}
