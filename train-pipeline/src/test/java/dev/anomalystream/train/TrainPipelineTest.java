package dev.anomalystream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import dev.anomalystream.core.beam.BigQueryServicesOptions;
import dev.anomalystream.core.beam.MetricCounts;
import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.EmbeddingModelSpec;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.model.DriftReference;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.model.StoredModel;
import dev.anomalystream.core.testing.TestModels;
import dev.anomalystream.core.text.TermStatistics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryHelpers;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Retraining from the detector's own output: local NDJSON files and (fake) BigQuery. */
class TrainPipelineTest {
  /**
   * When the made-up history was processed: two days ago, so inside the default lookback
   * (--historyDays=30) whatever day the tests run.
   */
  private static final Instant T =
      Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS).plusSeconds(36_000);

  @TempDir Path dir;

  /** Detector rows for made-up tweets; every third keeps its embedding; some flagged anomalies. */
  private static List<Map<String, Object>> history(int count, boolean withEmbeddings) {
    SentenceEmbedder embedder = SharedEmbedders.get(EmbedderOptions.defaults());
    List<SyntheticCorpus.Tweet> tweets = SyntheticCorpus.tweets(count, 5);
    float[][] vectors = embedder.embed(tweets.stream().map(SyntheticCorpus.Tweet::text).toList());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean flagged = i % 25 == 0;
      Detection d =
          Detection.builder()
              .setMessage(
                  InboundMessage.builder()
                      .setUid("uid-" + i)
                      .setText(tweets.get(i).text())
                      .setPublishTime(T)
                      .build())
              .setCluster(flagged ? -1 : 0)
              .setProbability(0.5)
              .setOutlierScore(0.1)
              .setKnnScore(0.2)
              .setAnomaly(flagged)
              .setDecision("knn>0.5000")
              .setThreshold(0.5)
              .setModelVersion("v0")
              .setEmbeddingModel(embedder.modelId())
              .setProcessedTime(T.plusSeconds(i))
              .setEmbedding(withEmbeddings && i % 3 == 0 ? vectors[i] : null)
              .build();
      rows.add(DetectionRow.toRow(d));
    }
    return rows;
  }

  private TrainOptions options(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--modelRoot=" + dir.resolve("models"));
    all.add("--modelName=tweets");
    all.add("--minClusterSize=10");
    all.add("--targetFalseAlarmRate=0.05");
    all.add("--calibrationFraction=0.2");
    all.add("--reportDirectory=" + dir.resolve("report"));
    all.add("--tempLocation=" + dir.resolve("tmp"));
    return PipelineOptionsFactory.fromArgs(all.toArray(String[]::new))
        .withValidation()
        .as(TrainOptions.class);
  }

  private JsonNode report() throws Exception {
    return Json.MAPPER.readTree(Files.readString(dir.resolve("report").resolve("report.json")));
  }

  /**
   * A retrain keeps the embedding the current version was trained with, so the detector can serve
   * it.
   */
  @Test
  void retrainsOnTheCurrentVersionsEmbeddingUnlessToldOtherwise() throws Exception {
    // a history source is required, though choosing the embedding reads none
    String history = "--historyFiles=" + dir.resolve("no-rows");
    assertEquals(
        EmbeddingModelSpec.DEFAULT,
        TrainPipeline.embeddingToTrainWith(options(history)),
        "no version yet");

    List<String> texts =
        SyntheticCorpus.tweets(60, 3).stream().map(SyntheticCorpus.Tweet::text).toList();
    TestModels.trainAndPublish(
        texts,
        dir.resolve("models").toString(),
        "tweets",
        0.1,
        T,
        EmbedderOptions.of("builtin:all-minilm-l6-v2"));
    assertEquals("builtin:all-minilm-l6-v2", TrainPipeline.embeddingToTrainWith(options(history)));
    assertEquals(
        "builtin:bge-small-en-v1.5-q",
        TrainPipeline.embeddingToTrainWith(
            options(history, "--embeddingModel=builtin:bge-small-en-v1.5-q")));
  }

  /**
   * The same retraining on the DirectRunner and on Flink (an embedded cluster, two parallel
   * subtasks, so every transform's state and coders cross task boundaries as on a real cluster).
   */
  @ParameterizedTest
  @ValueSource(strings = {"--runner=DirectRunner", "--runner=FlinkRunner"})
  void trainsFromLocalNdjsonAndPublishesAVersion(String runner) throws Exception {
    List<Map<String, Object>> rows = history(300, true);
    List<String> lines = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      lines.add(Json.MAPPER.writeValueAsString(row));
    }
    lines.add(Json.MAPPER.writeValueAsString(rows.get(7))); // the same uid seen twice counts once
    // older than the default 30-day lookback: not learnt from
    Map<String, Object> old = new HashMap<>(rows.get(1));
    old.put(DetectionRow.UID, "older-than-the-lookback");
    old.put(DetectionRow.PROCESSED_TIME, T.minus(40, ChronoUnit.DAYS).toString());
    lines.add(Json.MAPPER.writeValueAsString(old));
    lines.add("{\"uid\": \"broken\"}");
    lines.add("not json at all");
    Files.createDirectories(dir.resolve("rows"));
    Files.write(dir.resolve("rows").resolve("detections-0.json"), lines);

    PipelineResult result =
        TrainPipeline.run(
            options(
                "--historyFiles=" + dir.resolve("rows") + "/*.json",
                runner,
                "--flinkMaster=[local]",
                "--parallelism=2"));
    result.waitUntilFinish();

    JsonNode report = report();
    assertTrue(report.get("published").asBoolean(), report.toString());
    // 12 flagged anomalies (i % 25 == 0) and the row older than the lookback are left out
    int expectedRows = 300 - 12;
    assertEquals(expectedRows, report.get("rows").asInt());
    StoredModel model = ModelStore.open(dir.resolve("models").toString(), "tweets").loadLatest();
    assertEquals(report.get("version").asText(), model.metadata().version());
    assertEquals((long) expectedRows, model.metadata().training().source().rowCount());
    assertTrue(model.metadata().training().source().description().startsWith("files:"));
    assertEquals(model.metadata().drift(), DriftReference.load(model).orElseThrow().metadata());
    // the texts of the fitted rows, that is all but the calibration slice
    assertEquals(
        model.metadata().training().rowCount(),
        TermStatistics.load(model).orElseThrow().documents());
    // rows 0, 3, 6, ... keep their vector; of those, the flagged ones (0, 75, 150, 225) are left
    // out
    assertEquals(
        100 - 4,
        MetricCounts.attempted(result, EmbedWhereMissing.class, "stored_embeddings_reused"),
        "stored vectors of kept rows are reused, not recomputed");
    List<String> failures = Files.readAllLines(dir.resolve("report").resolve("failures.json"));
    assertEquals(2, failures.size(), failures.toString());
    assertTrue(failures.stream().anyMatch(f -> f.contains("history row has no 'text'")));
  }

  private static final String TABLE = "test-project:anomalies.detections";

  /**
   * A fake BigQuery holding {@code count} history rows in {@link #TABLE}, whose job service answers
   * exactly the history query from {@code from} (the code under test must send that SQL), set in
   * {@code options}.
   */
  private static void installHistory(TrainOptions options, int count, Instant from)
      throws Exception {
    FakeDatasetService bigQuery = new RecordingDatasetService();
    FakeDatasetService.setUp();
    bigQuery.createDataset("test-project", "anomalies", "", "", null);
    RecordingDatasetService.CREATED.clear();
    TableSchema schema =
        BigQueryHelpers.fromJsonString(
            "{\"fields\": "
                + new String(
                    TrainPipelineTest.class
                        .getClassLoader()
                        .getResourceAsStream("bigquery/detections_schema.json")
                        .readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8)
                + "}",
            TableSchema.class);
    TableReference detections = BigQueryHelpers.parseTableSpec(TABLE);
    bigQuery.createTable(new Table().setTableReference(detections).setSchema(schema));
    List<TableRow> tableRows = new ArrayList<>();
    for (Map<String, Object> row : history(count, true)) {
      TableRow tableRow = new TableRow();
      // as BigQuery returns rows: every column present, null (or empty when repeated) if unset
      for (TableFieldSchema field : schema.getFields()) {
        Object value =
            row.getOrDefault(
                field.getName(), "REPEATED".equals(field.getMode()) ? List.of() : null);
        if ("TIMESTAMP".equals(field.getType()) && value != null) {
          value =
              Instant.parse((String) value).toEpochMilli() * 1000; // the fake stores microseconds
        }
        tableRow.set(field.getName(), value);
      }
      tableRows.add(tableRow);
    }
    // the query's result is the whole table: the rows are all in range and the fake selects no
    // columns
    options
        .as(BigQueryServicesOptions.class)
        .setBigQueryServices(
            new FakeBigQueryServices()
                .withDatasetService(bigQuery)
                .withJobService(
                    AnsweringJobService.answering(
                        "test-project",
                        ReadHistory.historyQuery(TABLE, from, null, false),
                        detections,
                        new Table().setSchema(schema),
                        tableRows)));
  }

  /** Beam's fake, noting the datasets BigQueryIO creates (statically: DoFns hold copies). */
  private static final class RecordingDatasetService extends FakeDatasetService {
    static final List<String> CREATED = new CopyOnWriteArrayList<>();

    @Override
    public void createDataset(
        String projectId,
        String datasetId,
        String location,
        String description,
        Long defaultTableExpirationMs)
        throws IOException, InterruptedException {
      CREATED.add(projectId + ":" + datasetId);
      super.createDataset(projectId, datasetId, location, description, defaultTableExpirationMs);
    }
  }

  @Test
  void trainsFromBigQueryHistoryWithAndWithoutStoredEmbeddings() throws Exception {
    TrainOptions options = options("--historyTable=" + TABLE, "--project=test-project");
    // the default lookback, 30 days from 00:00 UTC, as a literal the table's partitions prune on
    installHistory(
        options, 300, Instant.now().truncatedTo(ChronoUnit.DAYS).minus(30, ChronoUnit.DAYS));

    PipelineResult result = TrainPipeline.run(options);
    result.waitUntilFinish();

    JsonNode report = report();
    assertTrue(report.get("published").asBoolean(), report.toString());
    assertEquals(300 - 12, report.get("rows").asInt());
    assertTrue(report.get("version").asText().length() > 0);
    // rows 0, 3, ..., 297 carry a vector (100); the flagged ones among them (0, 75, 150, 225) are
    // left out
    assertEquals(
        100 - 4,
        MetricCounts.attempted(result, EmbedWhereMissing.class, "stored_embeddings_reused"));
    assertEquals(
        1,
        RecordingDatasetService.CREATED.stream().filter(d -> d.contains(":temp_dataset_")).count(),
        "without --queryTempDataset BigQueryIO creates a temporary dataset (roles/bigquery.user): "
            + RecordingDatasetService.CREATED);
  }

  @Test
  void theHistoryQueryWritesItsResultToTheGivenDatasetAndCreatesNone() throws Exception {
    TrainOptions options =
        options(
            "--historyTable=" + TABLE,
            "--project=test-project",
            "--historyDays=7",
            "--knnK=10",
            "--from=2020-01-01T00:00:00Z",
            "--queryTempDataset=test-project:scratch");
    installHistory(
        options, 40, Instant.now().truncatedTo(ChronoUnit.DAYS).minus(7, ChronoUnit.DAYS));
    new FakeDatasetService().createDataset("test-project", "scratch", "", "", null);
    RecordingDatasetService.CREATED.clear();

    TrainPipeline.run(options).waitUntilFinish();

    assertEquals(40 - 2, report().get("rows").asInt(), report().toString());
    assertEquals(List.of(), RecordingDatasetService.CREATED);
  }

  @Test
  void aDegenerateHistoryIsRefusedAndNothingIsPublished() throws Exception {
    List<String> lines = new ArrayList<>();
    for (Map<String, Object> row : history(20, false)) {
      lines.add(Json.MAPPER.writeValueAsString(row));
    }
    Files.createDirectories(dir.resolve("rows"));
    Files.write(dir.resolve("rows").resolve("few.json"), lines);

    TrainPipeline.run(options("--historyFiles=" + dir.resolve("rows") + "/*.json"))
        .waitUntilFinish();

    JsonNode report = report();
    assertEquals(false, report.get("published").asBoolean());
    assertTrue(
        report.get("refusals").get(0).asText().contains("usable history rows"), report.toString());
    assertTrue(ModelStore.open(dir.resolve("models").toString(), "tweets").readLatest().isEmpty());
  }
}
