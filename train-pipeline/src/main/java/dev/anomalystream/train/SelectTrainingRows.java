package dev.anomalystream.train;

import java.time.Instant;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableBiFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The rows to learn from: inside the time range, not flagged as anomalies (unless asked), one per
 * uid (a message the detector saw twice, e.g. redelivered, counts once; the newest row wins).
 */
public final class SelectTrainingRows
    extends PTransform<PCollection<HistoryRow>, PCollection<HistoryRow>> {
  private final Instant from;
  private final Instant to;
  private final boolean includeAnomalies;

  /**
   * @param from inclusive lower bound or null; @param to exclusive upper bound or null
   */
  public SelectTrainingRows(Instant from, Instant to, boolean includeAnomalies) {
    this.from = from;
    this.to = to;
    this.includeAnomalies = includeAnomalies;
  }

  static boolean keep(HistoryRow row, Instant from, Instant to, boolean includeAnomalies) {
    if (row.isAnomaly() && !includeAnomalies) {
      return false;
    }
    Instant t = row.processedTime();
    if (t == null) {
      return from == null && to == null;
    }
    return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
  }

  static HistoryRow newer(HistoryRow a, HistoryRow b) {
    if (a.processedTime() == null) {
      return b;
    }
    return b.processedTime() != null && b.processedTime().isAfter(a.processedTime()) ? b : a;
  }

  @Override
  public PCollection<HistoryRow> expand(PCollection<HistoryRow> rows) {
    return rows.apply("InRangeAndNormal", ParDo.of(new FilterFn(from, to, includeAnomalies)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(HistoryRow.class)))
        .apply(
            "OnePerUid",
            Combine.perKey(
                (SerializableBiFunction<HistoryRow, HistoryRow, HistoryRow>)
                    SelectTrainingRows::newer))
        .apply("DropKeys", Values.create());
  }

  private static final class FilterFn extends DoFn<HistoryRow, KV<String, HistoryRow>> {
    private final Counter skipped =
        Metrics.counter(SelectTrainingRows.class, "history_rows_skipped");
    private final Instant from;
    private final Instant to;
    private final boolean includeAnomalies;

    FilterFn(Instant from, Instant to, boolean includeAnomalies) {
      this.from = from;
      this.to = to;
      this.includeAnomalies = includeAnomalies;
    }

    @ProcessElement
    public void process(@Element HistoryRow row, OutputReceiver<KV<String, HistoryRow>> out) {
      if (keep(row, from, to, includeAnomalies)) {
        out.output(KV.of(row.uid(), row));
      } else {
        skipped.inc();
      }
    }
  }
}
