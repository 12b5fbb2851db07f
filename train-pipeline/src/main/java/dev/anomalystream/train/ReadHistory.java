package dev.anomalystream.train;

import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import dev.anomalystream.core.beam.BigQueryServicesOptions;
import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryHelpers;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The detector's history, from its BigQuery table or its local NDJSON files, as {@link
 * HistoryRow}s; a row that cannot be read becomes a failure (stage {@value #STAGE}) with the
 * reason.
 */
public final class ReadHistory extends PTransform<PBegin, PCollectionTuple> {
  public static final String STAGE = "read-history";
  public static final TupleTag<HistoryRow> ROWS = new TupleTag<>("history") {};
  public static final TupleTag<Failure> FAILURES = new TupleTag<>("history-failures") {};

  private final String table;
  private final String files;
  private final Instant from;
  private final Instant to;
  private final String queryTempDataset;
  private final boolean withGroups;

  private ReadHistory(
      String table,
      String files,
      Instant from,
      Instant to,
      String queryTempDataset,
      boolean withGroups) {
    this.table = table;
    this.files = files;
    this.from = from;
    this.to = to;
    this.queryTempDataset = queryTempDataset;
    this.withGroups = withGroups;
  }

  /**
   * Reads the detections table with a standard-SQL query that selects only the columns retraining
   * needs, in the time range, so BigQuery scans (and bills) only those, and, the table being
   * partitioned by day on {@code processed_time}, only the partitions in the range. The range is
   * applied again downstream, by {@link SelectTrainingRows}, as the files path has no query.
   */
  public static ReadHistory fromTable(String table, Instant from, Instant to) {
    return new ReadHistory(table, null, from, to, null, false);
  }

  public static ReadHistory fromFiles(String glob) {
    return new ReadHistory(null, glob, null, null, null, false);
  }

  /**
   * The query's result goes to a temporary table in this existing dataset ({@code
   * [project:]dataset}) instead of a dataset BigQueryIO creates and deletes: creating datasets
   * needs {@code roles/bigquery.user} on the project, a table in a given dataset only {@code
   * roles/bigquery.dataEditor} on it. Null or blank keeps BigQueryIO's own temporary dataset.
   */
  public ReadHistory withQueryTempDataset(String dataset) {
    return new ReadHistory(
        table, files, from, to, dataset == null || dataset.isBlank() ? null : dataset, withGroups);
  }

  /**
   * Reads each row's group too: the query selects the {@code group} column, which tables written
   * before detectors had groups lack (so it is asked for only when training per group). Files
   * always give it when a row has it.
   */
  public ReadHistory withGroups() {
    return new ReadHistory(table, files, from, to, queryTempDataset, true);
  }

  /**
   * The start of a lookback of {@code days} days: 00:00 UTC {@code days} days before {@code now}'s
   * day, so the query text (and BigQuery's cached result) is the same all day and whole daily
   * partitions are read; null for 0 (all history).
   */
  static Instant lookbackStart(int days, Instant now) {
    if (days < 0) {
      throw new IllegalArgumentException("--historyDays must be 0 (all) or more, not " + days);
    }
    return days == 0 ? null : now.truncatedTo(ChronoUnit.DAYS).minus(days, ChronoUnit.DAYS);
  }

  /** The later of two lower bounds, either of which may be absent (null). */
  static Instant laterStart(Instant a, Instant b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return a.isAfter(b) ? a : b;
  }

  /** The history query: needed columns, the time range as timestamp literals. */
  static String historyQuery(String table, Instant from, Instant to, boolean withGroups) {
    TableReference ref = BigQueryHelpers.parseTableSpec(table);
    String name =
        "`" + ref.getProjectId() + "." + ref.getDatasetId() + "." + ref.getTableId() + "`";
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(
                String.join(
                    ", ",
                    DetectionRow.UID,
                    DetectionRow.TEXT,
                    DetectionRow.IS_ANOMALY,
                    DetectionRow.PROCESSED_TIME,
                    DetectionRow.EMBEDDING_MODEL,
                    DetectionRow.EMBEDDING))
            // GROUP is a reserved word of BigQuery's SQL: the column name must be quoted
            .append(withGroups ? ", `" + DetectionRow.GROUP + "`" : "")
            .append(" FROM ")
            .append(name);
    List<String> conditions = new ArrayList<>();
    if (from != null) {
      conditions.add(DetectionRow.PROCESSED_TIME + " >= TIMESTAMP('" + from + "')");
    }
    if (to != null) {
      conditions.add(DetectionRow.PROCESSED_TIME + " < TIMESTAMP('" + to + "')");
    }
    if (!conditions.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", conditions));
    }
    return sql.toString();
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple parsed;
    if (table != null) {
      // the pipeline's BigQuery services (BigQueryServicesOptions): withTestServices is
      // BigQueryIO's only way to take them
      BigQueryIO.TypedRead<TableRow> read =
          BigQueryIO.readTableRows()
              .fromQuery(historyQuery(table, from, to, withGroups))
              .usingStandardSql()
              .withTestServices(
                  BigQueryServicesOptions.bigQueryServices(begin.getPipeline().getOptions()));
      if (queryTempDataset != null) {
        int colon = queryTempDataset.indexOf(':');
        read =
            colon < 0
                ? read.withQueryTempDataset(queryTempDataset)
                : read.withQueryTempProjectAndDataset(
                    queryTempDataset.substring(0, colon), queryTempDataset.substring(colon + 1));
      }
      parsed =
          begin
              .apply("ReadTable", read)
              .apply(
                  "ParseRows",
                  ParDo.of(new ParseFn<TableRow>())
                      .withOutputTags(ROWS, TupleTagList.of(FAILURES)));
    } else {
      parsed =
          begin
              .apply("ReadFiles", TextIO.read().from(files))
              .apply(
                  "ParseLines",
                  ParDo.of(new ParseJsonLineFn()).withOutputTags(ROWS, TupleTagList.of(FAILURES)));
    }
    parsed.get(ROWS).setCoder(SerializableCoder.of(HistoryRow.class));
    // a tagged output's inferred coder would be SerializableCoder, not Failure's schema coder
    parsed.get(FAILURES).setCoder(SchemaCoders.of(Failure.class));
    return parsed;
  }

  private static final class ParseFn<T extends Map<String, Object>> extends DoFn<T, HistoryRow> {
    @ProcessElement
    public void process(@Element T row, MultiOutputReceiver out) {
      emit(row, () -> Json.MAPPER.valueToTree(row).toString(), out);
    }
  }

  private static final class ParseJsonLineFn extends DoFn<String, HistoryRow> {
    @ProcessElement
    public void process(@Element String line, MultiOutputReceiver out) {
      Map<String, Object> row;
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = Json.MAPPER.readValue(line, Map.class);
        row = parsed;
      } catch (Exception e) {
        out.get(FAILURES).output(failure("not a JSON object: " + e.getMessage(), line, e));
        return;
      }
      emit(row, () -> line, out);
    }
  }

  private static void emit(
      Map<String, ?> row,
      java.util.function.Supplier<String> payload,
      DoFn.MultiOutputReceiver out) {
    try {
      out.get(ROWS).output(HistoryRow.parse(row));
    } catch (IllegalArgumentException e) {
      out.get(FAILURES).output(failure(e.getMessage(), payload.get(), e));
    }
  }

  private static Failure failure(String reason, String payload, Exception cause) {
    return Failure.builder()
        .setStage(STAGE)
        .setReason(reason)
        .setPayload(payload.getBytes(StandardCharsets.UTF_8))
        .setTime(Instant.now())
        .setException(cause)
        .build();
  }
}
