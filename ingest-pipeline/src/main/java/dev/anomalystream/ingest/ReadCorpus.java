package dev.anomalystream.ingest;

import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.dataset.CorpusParser;
import dev.anomalystream.core.dataset.CorpusRecord;
import dev.anomalystream.core.dataset.DatasetFormat;
import dev.anomalystream.core.dataset.RejectedLine;
import dev.anomalystream.core.failure.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.Instant;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads corpus files (a file or glob, local or on GCS, compressed or not) into records, and every
 * line that cannot become a message into {@link #REJECTS} with its file, line and reason.
 */
public final class ReadCorpus extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<CorpusRecord> RECORDS = new TupleTag<>() {};
  public static final TupleTag<Failure> REJECTS = new TupleTag<>() {};

  static final String REJECTED_COUNTER = "lines_rejected";

  private final String filePattern;
  private final CorpusParser parser;
  private final DatasetFormat format;

  /**
   * @param format null detects the format per file
   */
  public ReadCorpus(String filePattern, CorpusParser parser, DatasetFormat format) {
    this.filePattern = filePattern;
    this.parser = parser;
    this.format = format;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple parsed =
        begin
            .apply(
                "MatchFiles",
                FileIO.match()
                    .filepattern(filePattern)
                    .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
            .apply("OpenFiles", FileIO.readMatches())
            .apply(
                "ParseLines",
                ParDo.of(new ParseFileFn(parser, format))
                    .withOutputTags(RECORDS, TupleTagList.of(REJECTS)));
    parsed.get(RECORDS).setCoder(SerializableCoder.of(CorpusRecord.class));
    // a tagged output's inferred coder would be SerializableCoder, not Failure's schema coder
    parsed.get(REJECTS).setCoder(SchemaCoders.of(Failure.class));
    return parsed;
  }

  private static final class ParseFileFn extends DoFn<FileIO.ReadableFile, CorpusRecord> {
    private final Counter read = Metrics.counter(ReadCorpus.class, "records_read");
    private final Counter rejected = Metrics.counter(ReadCorpus.class, REJECTED_COUNTER);
    private final CorpusParser parser;
    private final DatasetFormat format;

    ParseFileFn(CorpusParser parser, DatasetFormat format) {
      this.parser = parser;
      this.format = format;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out)
        throws IOException {
      String source = file.getMetadata().resourceId().toString();
      try (InputStream in = Channels.newInputStream(file.open())) {
        parser.parse(
            source,
            in,
            format,
            new CorpusParser.Sink() {
              @Override
              public void record(CorpusRecord record) {
                read.inc();
                out.get(RECORDS).output(record);
              }

              @Override
              public void reject(RejectedLine line) {
                rejected.inc();
                out.get(REJECTS).output(line.toFailure(Instant.now()));
              }
            });
      }
    }
  }
}
