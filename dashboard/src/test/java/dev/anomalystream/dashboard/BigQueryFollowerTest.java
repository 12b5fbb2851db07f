package dev.anomalystream.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.services.bigquery.model.TableReference;
import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The BigQuery follower against an in-memory stand-in of BigQuery that answers the follower's two
 * questions the way the query does (rows after the time bound, newest first, at most the limit).
 */
class BigQueryFollowerTest {
  private static final TableReference TABLE =
      new TableReference().setProjectId("p").setDatasetId("d").setTableId("detections");
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final Duration OVERLAP = Duration.ofSeconds(30);

  @Test
  void firstPollCoversTheLastHourCappedToTheNewestThenOnlyNewerRows() throws Exception {
    Tables bigQuery = new Tables();
    bigQuery.add("detections", row("too-old", NOW.minus(Duration.ofMinutes(61))));
    for (int i = 0; i < 5; i++) {
      bigQuery.add("detections", row("r" + i, NOW.minusSeconds(300 - i)));
    }
    EventHub hub = new EventHub("e", 100, 10);
    BigQueryFollower follower = follower(bigQuery, 3);

    assertEquals(3, follower.pollOnce(hub));
    assertEquals(NOW.minus(Duration.ofHours(1)), bigQuery.asked.get(0));
    // the newest three, handed on oldest first
    assertEquals(List.of("r2", "r3", "r4"), uids(hub));

    bigQuery.add("detections", row("r5", NOW.minusSeconds(10)));
    assertEquals(1, follower.pollOnce(hub));
    // from the newest row seen, less the overlap
    assertEquals(NOW.minusSeconds(296).minus(OVERLAP), bigQuery.asked.get(1));
    assertEquals(List.of("r2", "r3", "r4", "r5"), uids(hub));
  }

  @Test
  void rowsReadAgainInTheOverlapAreShownOnceAndLateCommittedOnesAreCaught() throws Exception {
    Tables bigQuery = new Tables();
    bigQuery.add("detections", row("a", NOW.minusSeconds(20)));
    bigQuery.add("detections", row("b", NOW.minusSeconds(10)));
    EventHub hub = new EventHub("e", 100, 10);
    BigQueryFollower follower = follower(bigQuery, 100);
    assertEquals(2, follower.pollOnce(hub));
    // committed late: processed before b, visible only now, within the overlap
    bigQuery.add("detections", row("late", NOW.minusSeconds(15)));
    // the same uid processed again (a redelivered message) is a row of its own
    bigQuery.add("detections", row("a", NOW.minusSeconds(5)));
    assertEquals(2, follower.pollOnce(hub));
    assertEquals(0, follower.pollOnce(hub), "a, b and late are read again, and skipped");
    assertEquals(List.of("a", "b", "late", "a"), uids(hub));
    assertEquals(4, hub.rows());
  }

  @Test
  void malformedRowsAreCountedOnceAndSkipped() throws Exception {
    Tables bigQuery = new Tables();
    bigQuery.add("detections", row("good", NOW.minusSeconds(20)));
    bigQuery.add("detections", "{\"uid\":\"no time\",\"is_anomaly\":false}");
    bigQuery.add("detections", "not json");
    // a time, but not a row the page can place: the hub counts it
    bigQuery.add(
        "detections", "{\"uid\":\"x\",\"processed_time\":\"" + NOW.minusSeconds(5) + "\"}");
    EventHub hub = new EventHub("e", 100, 10);
    BigQueryFollower follower = follower(bigQuery, 100);
    follower.pollOnce(hub);
    follower.pollOnce(hub);
    assertEquals(1, hub.rows());
    assertEquals(3, hub.malformed(), "each malformed row counted once, though read twice");
  }

  @Test
  void theStreamViewTablesArePolledOnceTheyExist() throws Exception {
    Tables bigQuery = new Tables();
    bigQuery.add("detections", row("a", NOW.minusSeconds(20)));
    EventHub hub = new EventHub("e", 100, 10);
    BigQueryFollower follower =
        new BigQueryFollower(
            bigQuery,
            List.of(
                PolledTable.detections(TABLE, OVERLAP),
                PolledTable.windows(TABLE),
                PolledTable.topics(TABLE)),
            Duration.ofMillis(10),
            Duration.ofMillis(100),
            100,
            Clock.fixed(NOW, ZoneOffset.UTC));
    follower.pollOnce(hub);
    assertEquals(List.of("d.detections_windows", "d.detections_topics"), bigQuery.looked);
    assertTrue(hub.helloJson().contains("\"stream_view\":false"));

    bigQuery.add("detections_windows", TestRows.window("2026-11-30T11:50:00Z", 1.5, 0));
    bigQuery.add("detections_windows", TestRows.window("2026-11-30T11:51:00Z", 4.5, 0));
    bigQuery.add(
        "detections_topics", TestRows.topic("topic-1", "2026-11-30T11:51:00Z", 4, "an example"));
    for (int i = 1; i < BigQueryFollower.EXISTENCE_RECHECK_POLLS; i++) {
      follower.pollOnce(hub);
    }
    assertEquals(0, hub.windowRows(), "not looked for again yet");
    follower.pollOnce(hub);
    assertEquals(2, hub.windowRows());
    assertEquals(1, hub.topicCount());
    assertTrue(hub.helloJson().contains("\"stream_view\":true"));
    // a late pane of a window that ended long before the newest: the stream view's overlap is the
    // hour the page shows
    bigQuery.add("detections_windows", TestRows.window("2026-11-30T11:50:00Z", 3.5, 1));
    follower.pollOnce(hub);
    follower.pollOnce(hub);
    assertEquals(3, hub.windowRows());
  }

  @Test
  void aFailingQueryIsRetriedWithGrowingPausesWhileTheServerServes() throws Exception {
    Tables bigQuery = new Tables();
    bigQuery.add("detections", row("after-failures", Instant.now().minusSeconds(5)));
    bigQuery.failures = 3;
    EventHub hub = new EventHub("e", 100, 10);
    BigQueryFollower follower =
        new BigQueryFollower(
            bigQuery,
            List.of(PolledTable.detections(TABLE, OVERLAP)),
            Duration.ofMillis(50),
            Duration.ofMillis(300),
            100,
            Clock.systemUTC());
    assertEquals(Duration.ofMillis(100), follower.backoff(1));
    assertEquals(Duration.ofMillis(200), follower.backoff(2));
    assertEquals(Duration.ofMillis(300), follower.backoff(3), "capped");
    try (DashboardServer server = DashboardServer.start("127.0.0.1", 0, hub);
        follower) {
      follower.start(hub);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hub.rows() == 1);
      // the page is served all along
      assertEquals(
          200,
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode());
    }
    List<Long> calls = bigQuery.callMillis;
    assertTrue(calls.size() >= 4, calls.toString());
    long first = calls.get(1) - calls.get(0);
    long second = calls.get(2) - calls.get(1);
    long third = calls.get(3) - calls.get(2);
    assertTrue(first >= 100 && second >= 200 && third >= 300, calls.toString());
  }

  private static BigQueryFollower follower(Tables bigQuery, int firstPollRows) {
    return new BigQueryFollower(
        bigQuery,
        List.of(PolledTable.detections(TABLE, OVERLAP)),
        Duration.ofMillis(10),
        Duration.ofMillis(100),
        firstPollRows,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** A detection row as TO_JSON_STRING gives it: every column, timestamps ISO 8601 in UTC. */
  private static String row(String uid, Instant processed) {
    try {
      ObjectNode row = (ObjectNode) Json.MAPPER.readTree(TestRows.line(uid, "text", false, 0.2));
      row.remove(DetectionRow.EMBEDDING);
      row.put(DetectionRow.PROCESSED_TIME, processed.toString());
      return row.toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> uids(EventHub hub) throws IOException {
    List<String> uids = new ArrayList<>();
    for (RowEvent event : hub.subscribe(null).replay()) {
      uids.add(Json.MAPPER.readTree(event.json()).get(DetectionRow.UID).asText());
    }
    return uids;
  }

  /** BigQuery in memory: tables of JSON rows, answered as {@link BigQueryQueries} asks. */
  private static final class Tables implements BigQueryReader {
    final Map<String, List<String>> rows = new ConcurrentHashMap<>();
    final List<Instant> asked = new CopyOnWriteArrayList<>();
    final List<String> looked = new CopyOnWriteArrayList<>();
    final List<Long> callMillis = new CopyOnWriteArrayList<>();
    volatile int failures;

    void add(String table, String row) {
      rows.computeIfAbsent(table, t -> new CopyOnWriteArrayList<>()).add(row);
    }

    @Override
    public boolean exists(TableReference table) {
      looked.add(table.getDatasetId() + "." + table.getTableId());
      return rows.containsKey(table.getTableId());
    }

    @Override
    public List<String> newestAfter(PolledTable table, Instant since, int limit)
        throws IOException {
      callMillis.add(System.currentTimeMillis());
      if (failures > 0) {
        failures--;
        throw new IOException("503 Service Unavailable (a stand-in's failure)");
      }
      asked.add(since);
      return rows.getOrDefault(table.table().getTableId(), List.of()).stream()
          .filter(row -> time(row, table) == null || time(row, table).isAfter(since))
          .sorted(
              Comparator.comparing(
                  (String row) -> time(row, table),
                  Comparator.nullsLast(Comparator.reverseOrder())))
          .limit(limit)
          .toList();
    }

    /** A row's time, or null when it has none (it is returned whatever the bound). */
    private static Instant time(String row, PolledTable table) {
      try {
        return Instant.parse(Json.MAPPER.readTree(row).get(table.timeColumn()).asText());
      } catch (Exception e) {
        return null;
      }
    }
  }
}
