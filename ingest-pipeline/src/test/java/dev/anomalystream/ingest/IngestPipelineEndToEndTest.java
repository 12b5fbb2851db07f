package dev.anomalystream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anomalystream.core.dataset.MessageUids;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.testing.PubsubEmulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The ingest pipeline on the DirectRunner against the real Pub/Sub emulator. */
class IngestPipelineEndToEndTest {
  @RegisterExtension static final PubsubEmulator PUBSUB = new PubsubEmulator();

  @TempDir Path dir;

  private PipelineResult ingest(String topic, Path input, String... extra) throws IOException {
    return CorpusFixture.ingest(PUBSUB.beamArgs(), dir, topic, input, extra);
  }

  @Test
  void publishesEveryGoodLineWithStableUidsAndRejectsTheRest() throws Exception {
    Path input = CorpusFixture.write(dir);
    PUBSUB.createTopic("corpus-a");
    PUBSUB.createSubscription("corpus-a-sub", "corpus-a");

    assertEquals(PipelineResult.State.DONE, ingest("corpus-a", input).getState());
    List<PubsubEmulator.Pulled> first =
        PUBSUB.pullAtLeast("corpus-a-sub", 5, Duration.ofSeconds(30));

    assertEquals(5, first.size());
    Map<String, PubsubEmulator.Pulled> byText =
        first.stream().collect(Collectors.toMap(PubsubEmulator.Pulled::data, m -> m));
    assertEquals(
        Set.of(
            "i feel sad today",
            "i am furious with them",
            "what a lovely day",
            CorpusFixture.SURPRISE,
            "im so scared of the dark"),
        byText.keySet());
    PubsubEmulator.Pulled furious = byText.get("i am furious with them");
    assertEquals("anger", furious.attributes().get("label"));
    assertEquals("train", furious.attributes().get("split"));
    assertEquals(
        MessageUids.uid("train", 2, "i am furious with them"), furious.attributes().get("uid"));
    Instant.parse(furious.attributes().get("event_time"));

    List<JsonNode> rejects = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("rejects.json"))) {
      rejects.add(Json.MAPPER.readTree(line));
    }
    assertEquals(
        Set.of("3:not valid UTF-8", "5:unknown label 'boredom'"),
        rejects.stream()
            .map(r -> attribute(r, "line") + ":" + r.get("reason").asText())
            .collect(Collectors.toSet()));
    JsonNode undecodable =
        rejects.stream()
            .filter(r -> r.get("reason").asText().contains("UTF-8"))
            .findFirst()
            .orElseThrow();
    assertEquals("base64", undecodable.get("payload_encoding").asText());
    assertEquals("read", undecodable.get("stage").asText());

    // a second run publishes the same uids
    ingest("corpus-a", input);
    List<PubsubEmulator.Pulled> second =
        PUBSUB.pullAtLeast("corpus-a-sub", 5, Duration.ofSeconds(30));
    assertEquals(uids(first), uids(second));
  }

  @Test
  void createsAMissingTopicOnTheEmulatorAndHonoursClassesAndLimit() throws Exception {
    Path input = CorpusFixture.write(dir);
    assertTrue(!PUBSUB.topicExists("corpus-b"));
    // the topic must exist before a subscription can see anything: create it via a first, empty run
    ingest("corpus-b", input, "--classes=love");
    assertTrue(PUBSUB.topicExists("corpus-b"));
    PUBSUB.createSubscription("corpus-b-sub", "corpus-b");

    ingest(
        "corpus-b",
        input,
        "--classes=sadness,anger,surprise,fear",
        "--limit=3",
        "--uidAttribute=message_uid");
    List<PubsubEmulator.Pulled> pulled =
        PUBSUB.pullAtLeast("corpus-b-sub", 3, Duration.ofSeconds(30));
    assertEquals(
        Set.of("i feel sad today", "i am furious with them", CorpusFixture.SURPRISE),
        pulled.stream().map(PubsubEmulator.Pulled::data).collect(Collectors.toSet()));
    assertTrue(pulled.stream().allMatch(m -> m.attributes().containsKey("message_uid")));
  }

  @Test
  void pacedReplaySpreadsMessagesOverTime() throws Exception {
    Path input = CorpusFixture.write(dir);
    PUBSUB.createTopic("corpus-c");
    PUBSUB.createSubscription("corpus-c-sub", "corpus-c");

    ingest("corpus-c", input, "--rate=10");
    List<PubsubEmulator.Pulled> pulled =
        PUBSUB.pullAtLeast("corpus-c-sub", 5, Duration.ofSeconds(30));

    assertEquals(5, pulled.size());
    List<Instant> sent =
        pulled.stream().map(m -> Instant.parse(m.attributes().get("event_time"))).sorted().toList();
    // 5 slots at 10/s span 400 ms; all at once would span a few milliseconds
    long spreadMillis = Duration.between(sent.get(0), sent.get(4)).toMillis();
    assertTrue(spreadMillis >= 350, "messages spread over " + spreadMillis + " ms");
  }

  @Test
  void aMissingInputIsAClearError() {
    PUBSUB.createTopic("corpus-d");
    Exception e =
        assertThrows(Exception.class, () -> ingest("corpus-d", dir.resolve("nothing-here.txt")));
    assertTrue(
        String.valueOf(e.getMessage()).contains("nothing-here.txt")
            || String.valueOf(e.getCause()).contains("nothing-here.txt"),
        String.valueOf(e));
  }

  private static String attribute(JsonNode failureRow, String key) {
    for (JsonNode attribute : failureRow.get("attributes")) {
      if (attribute.get("key").asText().equals(key)) {
        return attribute.get("value").asText();
      }
    }
    return null;
  }

  private static Set<String> uids(List<PubsubEmulator.Pulled> messages) {
    return messages.stream().map(m -> m.attributes().get("uid")).collect(Collectors.toSet());
  }
}
