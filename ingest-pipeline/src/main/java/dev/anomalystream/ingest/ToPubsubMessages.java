package dev.anomalystream.ingest;

import dev.anomalystream.core.dataset.CorpusRecord;
import java.time.Instant;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessageWithAttributesCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Records to Pub/Sub messages with uid, label, split and event_time attributes. */
public final class ToPubsubMessages
    extends PTransform<PCollection<CorpusRecord>, PCollection<PubsubMessage>> {
  private final String uidAttribute;

  public ToPubsubMessages(String uidAttribute) {
    this.uidAttribute = uidAttribute;
  }

  @Override
  public PCollection<PubsubMessage> expand(PCollection<CorpusRecord> records) {
    String uid = uidAttribute;
    return records
        .apply(
            "ToMessage",
            MapElements.into(TypeDescriptor.of(PubsubMessage.class))
                .via((CorpusRecord r) -> CorpusMessages.toMessage(r, uid, Instant.now())))
        .setCoder(PubsubMessageWithAttributesCoder.of());
  }
}
