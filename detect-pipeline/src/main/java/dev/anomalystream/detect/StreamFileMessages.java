package dev.anomalystream.detect;

import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.stream.StreamFileLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessageWithAttributesCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Lines of a stream file ({@link StreamFileLine}) as the messages the detector reads off a bus,
 * each stamped with its event_time; a malformed line is a failure of stage {@value #STAGE} with the
 * reason, and the rest go on.
 */
public final class StreamFileMessages extends PTransform<PCollection<String>, PCollectionTuple> {
  public static final String STAGE = "read-stream";

  public static final TupleTag<PubsubMessage> MESSAGES = new TupleTag<>() {};
  public static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final String uidAttribute;

  public StreamFileMessages(String uidAttribute) {
    this.uidAttribute = uidAttribute;
  }

  @Override
  public PCollectionTuple expand(PCollection<String> lines) {
    PCollectionTuple parsed =
        lines.apply(
            "ParseLines",
            ParDo.of(new ParseFn(uidAttribute))
                .withOutputTags(MESSAGES, TupleTagList.of(FAILURES)));
    parsed.get(MESSAGES).setCoder(PubsubMessageWithAttributesCoder.of());
    parsed.get(FAILURES).setCoder(SchemaCoders.of(Failure.class));
    return parsed;
  }

  private static final class ParseFn extends DoFn<String, PubsubMessage> {
    private final Counter malformed = Metrics.counter(StreamFileMessages.class, "malformed_lines");
    private final String uidAttribute;

    ParseFn(String uidAttribute) {
      this.uidAttribute = uidAttribute;
    }

    @ProcessElement
    public void process(@Element String line, MultiOutputReceiver out) {
      if (line.isBlank()) {
        return;
      }
      try {
        StreamFileLine parsed = StreamFileLine.parse(line, uidAttribute);
        out.get(MESSAGES)
            .outputWithTimestamp(
                new PubsubMessage(
                    parsed.text().getBytes(StandardCharsets.UTF_8), parsed.attributes(), null),
                new org.joda.time.Instant(parsed.eventTime().toEpochMilli()));
      } catch (IllegalArgumentException e) {
        malformed.inc();
        out.get(FAILURES)
            .output(
                Failure.builder()
                    .setStage(STAGE)
                    .setReason("malformed stream line: " + e.getMessage())
                    .setPayload(line.getBytes(StandardCharsets.UTF_8))
                    .setAttributes(Map.of())
                    .setTime(Instant.now())
                    .build());
      }
    }
  }
}
