package dev.anomalystream.detect;

import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.testing.TestModels;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model the detector's end-to-end tests serve: trained on the first {@value #TRAINING} made-up
 * tweets of seed {@value #SEED}, so the tweets after them are normal messages it never saw.
 */
final class EndToEndModel {
  static final String NAME = "tweets";
  static final int TRAINING = 400;
  static final long SEED = 11;

  /** Not the default embedding: the detector must find the model's own in its metadata. */
  static final String EMBEDDING = "builtin:all-minilm-l6-v2";

  private EndToEndModel() {}

  /** Publishes the model as {@code <root>/tweets/LATEST}; returns its version. */
  static String publish(Path root, Instant trainedAt) throws Exception {
    List<String> texts =
        SyntheticCorpus.tweets(TRAINING, SEED).stream().map(SyntheticCorpus.Tweet::text).toList();
    return TestModels.trainAndPublish(
            texts, root.toString(), NAME, 0.02, trainedAt, EmbedderOptions.of(EMBEDDING))
        .version();
  }

  /** {@code count} normal texts the model was not trained on. */
  static List<String> unseenTweets(int count) {
    return SyntheticCorpus.tweets(TRAINING + count, SEED)
        .subList(TRAINING, TRAINING + count)
        .stream()
        .map(SyntheticCorpus.Tweet::text)
        .toList();
  }

  /** The texts keyed by the uids a test publishes them under: {@code <prefix>0, <prefix>1...}. */
  static Map<String, String> byUid(String prefix, List<String> texts) {
    Map<String, String> byUid = new LinkedHashMap<>();
    texts.forEach(text -> byUid.put(prefix + byUid.size(), text));
    return byUid;
  }

  /**
   * Made-up messages on one subject the model never saw (cooking), each different: a new normal for
   * the online-learning tests.
   */
  static List<String> recipes(int count) {
    String[] dishes = {"lentil soup", "banana bread", "tomato sauce", "chicken curry", "apple pie"};
    String[] steps = {"simmer", "bake", "stir", "roast", "knead"};
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      texts.add(
          String.format(
              "Recipe step %d: %s the %s at %d degrees for %d minutes, then add a pinch of salt.",
              i,
              steps[i % steps.length],
              dishes[(i / steps.length) % dishes.length],
              150 + 10 * (i % 7),
              10 + i % 13));
    }
    return texts;
  }
}
