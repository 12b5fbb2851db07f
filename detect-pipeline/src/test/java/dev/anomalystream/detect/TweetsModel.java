package dev.anomalystream.detect;

import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.testing.TestModels;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The detector tests' model and messages: a model trained on made-up tweets, fresh tweets it never
 * saw (normal) and off-topic texts (anomalies), keyed by the uids the tests publish them under.
 */
final class TweetsModel {
  static final String NAME = "tweets";

  /** Not the default embedding: the detector must find the model's own in its metadata. */
  static final String EMBEDDING = "builtin:all-minilm-l6-v2";

  private static final int TRAINING_TWEETS = 400;
  private static final long SEED = 11;

  private TweetsModel() {}

  /** Trains and publishes LATEST of {@code <models>/tweets}; returns the version. */
  static String publish(Path models) throws IOException {
    List<String> texts =
        SyntheticCorpus.tweets(TRAINING_TWEETS, SEED).stream()
            .map(SyntheticCorpus.Tweet::text)
            .toList();
    return TestModels.trainAndPublish(
            texts,
            models.toString(),
            NAME,
            0.02,
            Instant.parse("2026-11-23T08:00:00Z"),
            EmbedderOptions.of(EMBEDDING))
        .version();
  }

  /** Tweets from the corpus's generator past the training ones, as {@code <prefix><i>}. */
  static Map<String, String> freshTweets(String prefix, int count) {
    Map<String, String> byUid = new LinkedHashMap<>();
    SyntheticCorpus.tweets(TRAINING_TWEETS + count, SEED)
        .subList(TRAINING_TWEETS, TRAINING_TWEETS + count)
        .forEach(t -> byUid.put(prefix + byUid.size(), t.text()));
    return byUid;
  }

  /** Off-topic texts, as {@code <prefix><i>}. */
  static Map<String, String> offTopic(String prefix, int count) {
    Map<String, String> byUid = new LinkedHashMap<>();
    SyntheticCorpus.offTopic(count, 5).forEach(t -> byUid.put(prefix + byUid.size(), t));
    return byUid;
  }
}
