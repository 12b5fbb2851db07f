package dev.anomalystream.detect;

import dev.anomalystream.core.detection.InboundMessage;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.Deduplicate;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Drops a message whose uid was already seen within {@link #remember} (Kafka source only: Pub/Sub
 * deduplicates by its id attribute in the read). Kafka redelivers after a restart from the last
 * committed offset and a producer may send a uid twice; Kafka has no id attribute to do this for
 * us.
 *
 * <p>What it covers: a uid seen again within the duration, measured in processing time (a
 * redelivery after a restart is late in event time, so an event-time expiry could have forgotten
 * the uid already). Each uid is a key of Beam's {@link Deduplicate}; its state lives with the key,
 * is checkpointed with the job on Flink (and Dataflow), and is lost when a DirectRunner process
 * dies. Counters: {@code messages_in} (decoded messages) and {@code messages_unique} (passed), so
 * duplicates dropped = in − unique.
 */
public final class DeduplicateByUid
    extends PTransform<PCollection<InboundMessage>, PCollection<InboundMessage>> {
  private final Duration remember;

  public DeduplicateByUid(Duration remember) {
    if (!remember.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException(
          "the deduplication duration must be positive, was " + remember);
    }
    this.remember = remember;
  }

  @Override
  public PCollection<InboundMessage> expand(PCollection<InboundMessage> messages) {
    return messages
        .apply("CountIn", ParDo.of(new CountFn("messages_in")))
        .apply(
            "Deduplicate",
            Deduplicate.withRepresentativeValueFn(InboundMessage::getUid)
                .withRepresentativeType(TypeDescriptors.strings())
                .withRepresentativeCoder(StringUtf8Coder.of())
                .withTimeDomain(TimeDomain.PROCESSING_TIME)
                .withDuration(remember))
        .apply("CountUnique", ParDo.of(new CountFn("messages_unique")));
  }

  private static final class CountFn extends DoFn<InboundMessage, InboundMessage> {
    private final Counter counter;

    CountFn(String name) {
      this.counter = Metrics.counter(DeduplicateByUid.class, name);
    }

    @ProcessElement
    public void process(@Element InboundMessage message, OutputReceiver<InboundMessage> out) {
      counter.inc();
      out.output(message);
    }
  }
}
