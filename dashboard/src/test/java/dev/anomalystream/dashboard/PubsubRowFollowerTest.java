package dev.anomalystream.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.anomalystream.core.testing.PubsubEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against the real emulator, set up through the options scripts/dashboard passes. */
class PubsubRowFollowerTest {
  @RegisterExtension static final PubsubEmulator PUBSUB = new PubsubEmulator();

  @Test
  void followsItsSubscriptionOnTheDetectionsTopic() throws Exception {
    PUBSUB.createTopic("detections");
    PUBSUB.createSubscription("dashboard", "detections");
    List<String> args = new ArrayList<>(PUBSUB.beamArgs());
    args.addAll(List.of("--source=pubsub", "--subscription=dashboard"));
    DashboardOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(DashboardOptions.class);
    EventHub hub = new EventHub("e", 100, 100);
    try (RowSource source = Dashboard.source(options)) {
      assertInstanceOf(PubsubRowFollower.class, source);
      source.start(hub);
      for (String row :
          List.of(
              TestRows.line("u-1", "one", false, 0.1),
              TestRows.line("u-2", TestRows.HOSTILE_TEXT, true, 0.9),
              "not a row")) {
        PUBSUB.publish("detections", row.getBytes(StandardCharsets.UTF_8), Map.of("uid", "x"));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> hub.rows() == 2 && hub.malformed() == 1);
    }
    // acknowledged: nothing is left on the subscription
    assertEquals(List.of(), PUBSUB.pullAtLeast("dashboard", 1, Duration.ofSeconds(2)));
  }
}
