package dev.anomalystream.ingest;

import dev.anomalystream.core.dataset.CorpusRecord;
import java.time.Instant;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessageWithAttributesCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Records to Pub/Sub messages with uid, label, split and event_time attributes, and the group
 * attribute when one is configured.
 */
public final class ToPubsubMessages
    extends PTransform<PCollection<CorpusRecord>, PCollection<PubsubMessage>> {
  static final String MESSAGES_COUNTER = "messages_to_publish";
  private final String uidAttribute;
  private final MessageGroup group;

  public ToPubsubMessages(String uidAttribute) {
    this(uidAttribute, MessageGroup.NONE);
  }

  public ToPubsubMessages(String uidAttribute, MessageGroup group) {
    this.uidAttribute = uidAttribute;
    this.group = group;
  }

  @Override
  public PCollection<PubsubMessage> expand(PCollection<CorpusRecord> records) {
    return records
        .apply("ToMessage", ParDo.of(new ToMessageFn(uidAttribute, group)))
        .setCoder(PubsubMessageWithAttributesCoder.of());
  }

  private static final class ToMessageFn extends DoFn<CorpusRecord, PubsubMessage> {
    private final Counter messages = Metrics.counter(ToPubsubMessages.class, MESSAGES_COUNTER);
    private final String uidAttribute;
    private final MessageGroup group;

    ToMessageFn(String uidAttribute, MessageGroup group) {
      this.uidAttribute = uidAttribute;
      this.group = group;
    }

    @ProcessElement
    public void process(@Element CorpusRecord record, OutputReceiver<PubsubMessage> out) {
      messages.inc();
      out.output(CorpusMessages.toMessage(record, uidAttribute, Instant.now(), group));
    }
  }
}
