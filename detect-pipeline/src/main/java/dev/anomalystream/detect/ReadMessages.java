package dev.anomalystream.detect;

import org.apache.beam.sdk.io.gcp.pubsub.PubsubIO;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads messages with their attributes and message id from a subscription (or a topic). The uid
 * attribute is Pub/Sub's id attribute, so a message published twice with one uid is processed once.
 * Element timestamps are Pub/Sub publish times.
 */
public final class ReadMessages extends PTransform<PBegin, PCollection<PubsubMessage>> {
  private final String subscriptionPath;
  private final String topicPath;
  private final String uidAttribute;

  private ReadMessages(String subscriptionPath, String topicPath, String uidAttribute) {
    this.subscriptionPath = subscriptionPath;
    this.topicPath = topicPath;
    this.uidAttribute = uidAttribute;
  }

  /** Exactly one of the two paths is non-null. */
  public static ReadMessages from(String subscriptionPath, String topicPath, String uidAttribute) {
    if ((subscriptionPath == null) == (topicPath == null)) {
      throw new IllegalArgumentException("give exactly one of --subscription and --topic");
    }
    return new ReadMessages(subscriptionPath, topicPath, uidAttribute);
  }

  @Override
  public PCollection<PubsubMessage> expand(PBegin begin) {
    PubsubIO.Read<PubsubMessage> read =
        PubsubIO.readMessagesWithAttributesAndMessageId().withIdAttribute(uidAttribute);
    read =
        subscriptionPath != null
            ? read.fromSubscription(subscriptionPath)
            : read.fromTopic(topicPath);
    return begin.apply("ReadPubsub", read);
  }
}
