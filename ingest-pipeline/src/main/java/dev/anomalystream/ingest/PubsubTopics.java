package dev.anomalystream.ingest;

import java.io.IOException;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubClient;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubJsonClient;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;

/** The check that a topic exists before a pipeline publishes to it. */
final class PubsubTopics {
  private PubsubTopics() {}

  /** True when the options point at a local emulator rather than Google's service. */
  static boolean isEmulator(PubsubOptions options) {
    String root = options.getPubsubRootUrl();
    return root != null && !root.contains("googleapis.com");
  }

  /**
   * On the emulator a missing topic is created (a local run needs no setup); on GCP it is an error
   * that says how to create it, because topics there are owned by infrastructure code.
   */
  static void ensureExists(String topicPath, PubsubOptions options) throws IOException {
    try (PubsubClient client = PubsubJsonClient.FACTORY.newClient(null, null, options)) {
      PubsubClient.TopicPath topic = PubsubClient.topicPathFromPath(topicPath);
      if (client.isTopicExists(topic)) {
        return;
      }
      if (isEmulator(options)) {
        client.createTopic(topic);
        return;
      }
      throw new IllegalStateException(
          "Pub/Sub topic "
              + topicPath
              + " does not exist; create it first: gcloud pubsub topics create "
              + topic.getName()
              + " --project="
              + topic.getPath().split("/")[1]);
    }
  }
}
