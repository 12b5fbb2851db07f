package dev.anomalystream.ingest;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubClient;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubIO;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubJsonClient;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Publishes messages to a topic: as fast as possible through {@link PubsubIO}, or, with a rate,
 * paced one by one so a local run looks like a live stream.
 *
 * <p>Why pacing publishes itself instead of throttling ahead of PubsubIO: runners hand a DoFn's
 * output downstream when its bundle commits (the DirectRunner's bundle here is the whole corpus),
 * so a throttle upstream of the sink would only delay one big burst. Publishing from the pacing
 * DoFn, with Beam's own Pub/Sub client, puts each message on the wire at its slot. The rate holds
 * per JVM: on several workers it multiplies, which is why it is meant for local replays.
 */
public final class PublishMessages extends PTransform<PCollection<PubsubMessage>, PDone> {
  private final String topicPath;
  private final double ratePerSecond;

  /**
   * @param ratePerSecond 0 publishes as fast as possible
   */
  public PublishMessages(String topicPath, double ratePerSecond) {
    if (ratePerSecond < 0) {
      throw new IllegalArgumentException("--rate must be 0 or positive, was " + ratePerSecond);
    }
    this.topicPath = topicPath;
    this.ratePerSecond = ratePerSecond;
  }

  @Override
  public PDone expand(PCollection<PubsubMessage> messages) {
    if (ratePerSecond == 0) {
      return messages.apply("PublishBatched", PubsubIO.writeMessages().to(topicPath));
    }
    messages.apply("PublishPaced", ParDo.of(new PacedPublishFn(topicPath, ratePerSecond)));
    return PDone.in(messages.getPipeline());
  }

  private static final class PacedPublishFn extends DoFn<PubsubMessage, Void> {
    private final Counter published = Metrics.counter(PublishMessages.class, "messages_published");
    private final String topicPath;
    private final double ratePerSecond;
    private transient PubsubClient client;
    private transient Pacer pacer;

    PacedPublishFn(String topicPath, double ratePerSecond) {
      this.topicPath = topicPath;
      this.ratePerSecond = ratePerSecond;
    }

    @StartBundle
    public void startBundle(StartBundleContext context) throws IOException {
      if (client == null) {
        client =
            PubsubJsonClient.FACTORY.newClient(
                null, null, context.getPipelineOptions().as(PubsubOptions.class));
        pacer = Pacer.shared(topicPath, ratePerSecond);
      }
    }

    @ProcessElement
    public void process(@Element PubsubMessage message) throws IOException, InterruptedException {
      pacer.acquire();
      PubsubMessage stamped = CorpusMessages.withEventTime(message, Instant.now());
      client.publish(
          PubsubClient.topicPathFromPath(topicPath),
          List.of(
              PubsubClient.OutgoingMessage.of(
                  stamped, System.currentTimeMillis(), null, topicPath)));
      published.inc();
    }

    @Teardown
    public void teardown() throws IOException {
      if (client != null) {
        client.close();
      }
    }
  }
}
