package dev.anomalystream.ingest;

import dev.anomalystream.core.dataset.CorpusRecord;
import dev.anomalystream.core.dataset.MessageSelection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Keeps the records of the chosen classes and seeded sample, then at most {@code limit} of them:
 * the first by source and line, so a limited run publishes the same messages every time.
 */
public final class SelectMessages
    extends PTransform<PCollection<CorpusRecord>, PCollection<CorpusRecord>> {
  private static final Comparator<CorpusRecord> FILE_ORDER =
      Comparator.comparing(CorpusRecord::source).thenComparingLong(CorpusRecord::lineNumber);

  private final MessageSelection selection;
  private final long limit;

  /**
   * @param limit 0 for no limit
   */
  public SelectMessages(MessageSelection selection, long limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("--limit must be 0 (none) or positive, was " + limit);
    }
    this.selection = selection;
    this.limit = limit;
  }

  @Override
  public PCollection<CorpusRecord> expand(PCollection<CorpusRecord> records) {
    PCollection<CorpusRecord> selected =
        records.apply("ClassesAndSample", ParDo.of(new SelectFn(selection)));
    if (limit == 0) {
      return selected;
    }
    // A global limit needs one place that sees every candidate; a corpus of this kind (tens of
    // thousands of short lines) fits one worker easily.
    return selected
        .apply(
            "OneGroup",
            WithKeys.<String, CorpusRecord>of("all").withKeyType(TypeDescriptors.strings()))
        .apply("GatherCandidates", GroupByKey.create())
        .apply("FirstInFileOrder", ParDo.of(new FirstFn(limit)))
        .setCoder(SerializableCoder.of(CorpusRecord.class));
  }

  private static final class SelectFn extends DoFn<CorpusRecord, CorpusRecord> {
    private final Counter skipped = Metrics.counter(SelectMessages.class, "records_not_selected");
    private final MessageSelection selection;

    SelectFn(MessageSelection selection) {
      this.selection = selection;
    }

    @ProcessElement
    public void process(@Element CorpusRecord record, OutputReceiver<CorpusRecord> out) {
      if (selection.keep(record)) {
        out.output(record);
      } else {
        skipped.inc();
      }
    }
  }

  private static final class FirstFn
      extends DoFn<KV<String, Iterable<CorpusRecord>>, CorpusRecord> {
    private final long limit;

    FirstFn(long limit) {
      this.limit = limit;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<CorpusRecord>> group, OutputReceiver<CorpusRecord> out) {
      List<CorpusRecord> all = new ArrayList<>();
      group.getValue().forEach(all::add);
      all.sort(FILE_ORDER);
      all.stream().limit(limit).forEach(out::output);
    }
  }
}
