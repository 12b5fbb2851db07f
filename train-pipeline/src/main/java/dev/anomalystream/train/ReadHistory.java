package dev.anomalystream.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.bigquery.model.TableRow;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.failure.FailureCoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The detector's history, from its BigQuery table or its local NDJSON files, as {@link
 * HistoryRow}s; a row that cannot be read becomes a failure (stage {@value #STAGE}) with the reason.
 */
public final class ReadHistory extends PTransform<PBegin, PCollectionTuple> {
  public static final String STAGE = "read-history";
  public static final TupleTag<HistoryRow> ROWS = new TupleTag<>("history") {};
  public static final TupleTag<Failure> FAILURES = new TupleTag<>("history-failures") {};
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String table;
  private final String files;
  private final BigQueryServices testServices;

  private ReadHistory(String table, String files, BigQueryServices testServices) {
    this.table = table;
    this.files = files;
    this.testServices = testServices;
  }

  public static ReadHistory fromTable(String table, BigQueryServices testServicesOrNull) {
    return new ReadHistory(table, null, testServicesOrNull);
  }

  public static ReadHistory fromFiles(String glob) {
    return new ReadHistory(null, glob, null);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple parsed;
    if (table != null) {
      BigQueryIO.TypedRead<TableRow> read = BigQueryIO.readTableRows().from(table);
      if (testServices != null) {
        read = read.withTestServices(testServices).withoutValidation();
      }
      parsed = begin.apply("ReadTable", read)
          .apply("ParseRows", ParDo.of(new ParseFn<TableRow>()).withOutputTags(ROWS, TupleTagList.of(FAILURES)));
    } else {
      parsed = begin.apply("ReadFiles", TextIO.read().from(files))
          .apply("ParseLines", ParDo.of(new ParseJsonLineFn()).withOutputTags(ROWS, TupleTagList.of(FAILURES)));
    }
    parsed.get(ROWS).setCoder(SerializableCoder.of(HistoryRow.class));
    parsed.get(FAILURES).setCoder(FailureCoder.of());
    return parsed;
  }

  private static final class ParseFn<T extends Map<String, Object>> extends DoFn<T, HistoryRow> {
    @ProcessElement
    public void process(@Element T row, MultiOutputReceiver out) {
      emit(row, () -> JSON.valueToTree(row).toString(), out);
    }
  }

  private static final class ParseJsonLineFn extends DoFn<String, HistoryRow> {
    @ProcessElement
    public void process(@Element String line, MultiOutputReceiver out) {
      Map<String, Object> row;
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = JSON.readValue(line, Map.class);
        row = parsed;
      } catch (Exception e) {
        out.get(FAILURES).output(failure("not a JSON object: " + e.getMessage(), line));
        return;
      }
      emit(row, () -> line, out);
    }
  }

  private static void emit(Map<String, ?> row, java.util.function.Supplier<String> payload, DoFn.MultiOutputReceiver out) {
    try {
      out.get(ROWS).output(HistoryRow.parse(row));
    } catch (IllegalArgumentException e) {
      out.get(FAILURES).output(failure(e.getMessage(), payload.get()));
    }
  }

  private static Failure failure(String reason, String payload) {
    return new Failure(STAGE, reason, payload.getBytes(StandardCharsets.UTF_8), Map.of(), Instant.now());
  }
}
