package dev.anomalystream.detect;

import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.testing.TestModels;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Two versions of a small model in one store, for tests of what a version switch does: the first
 * trained at 08:00 on 200 made-up tweets, the second on the next 200, and tweets neither saw.
 *
 * @param first the older version
 * @param second the newer version
 * @param unseen tweets after the training ones
 */
record TwoModelVersions(String first, String second, List<String> unseen) {
  static final String MODEL_NAME = "tweets";

  static TwoModelVersions publish(
      Path store, EmbedderOptions embedding, Instant secondTrainedAt, int unseen)
      throws IOException {
    List<String> tweets =
        SyntheticCorpus.tweets(400 + unseen, 31).stream().map(SyntheticCorpus.Tweet::text).toList();
    String first =
        TestModels.trainAndPublish(
                tweets.subList(0, 200),
                store.toString(),
                MODEL_NAME,
                0.05,
                Instant.parse("2026-11-23T08:00:00Z"),
                embedding)
            .version();
    String second =
        TestModels.trainAndPublish(
                tweets.subList(200, 400),
                store.toString(),
                MODEL_NAME,
                0.05,
                secondTrainedAt,
                embedding)
            .version();
    return new TwoModelVersions(first, second, tweets.subList(400, 400 + unseen));
  }
}
