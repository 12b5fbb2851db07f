package dev.anomalystream.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.json.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between the source and the browsers: numbers each row, keeps the most recent ones for browsers
 * that connect or reconnect, and hands each row to every connected browser's {@link ClientQueue}.
 * The source's thread never waits for a browser.
 *
 * <p>Event ids are {@code <epoch>-<sequence>}, the epoch being this hub's start time: a browser
 * that reconnects to a restarted server sends an id of another epoch, and then gets every recent
 * row again rather than none (the restarted server's sequence starts again at 1).
 *
 * <p>The stream view's rows share the sequence but are kept apart, so thousands of detections do
 * not push them out: the latest firing of each of the last {@link #RECENT_WINDOWS} windows, and the
 * current state of each of the last {@link #RECENT_TOPICS} topics updated. A browser that connects
 * gets these too, and one that resumes gets those that changed after its last event; a window's
 * earlier pane or a topic's older state arriving after a newer one is not sent at all.
 */
final class EventHub {
  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

  /** Windows kept for browsers that connect: with the default slide of a minute, 8 hours. */
  static final int RECENT_WINDOWS = 480;

  /** Topics kept for browsers that connect, the least recently updated forgotten first. */
  static final int RECENT_TOPICS = 200;

  private final String epoch;
  private final int recentCapacity;
  private final int clientQueueCapacity;
  private final CalibratedRates calibratedRates;
  private final ArrayDeque<RowEvent> recent = new ArrayDeque<>();
  // by window (start/end) and by topic id, the least recently updated first
  private final LinkedHashMap<String, Versioned<Long>> windows = new LinkedHashMap<>();
  private final LinkedHashMap<String, Versioned<StreamViewRows.PageTopic>> topics =
      new LinkedHashMap<>();
  private final List<ClientQueue> clients = new CopyOnWriteArrayList<>();
  private final AtomicLong rows = new AtomicLong();
  private final AtomicLong anomalies = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong windowRows = new AtomicLong();
  private long sequence;
  private volatile boolean closed;
  private volatile boolean streamViewFollowed;
  private volatile int topicsKept;

  EventHub(String epoch, int recentCapacity, int clientQueueCapacity) {
    this(epoch, recentCapacity, clientQueueCapacity, null);
  }

  /** {@code calibratedRates} (null: none) adds each row's calibrated false-alarm rate. */
  EventHub(
      String epoch, int recentCapacity, int clientQueueCapacity, CalibratedRates calibratedRates) {
    if (recentCapacity < 1) {
      throw new IllegalArgumentException("the hub keeps at least one recent row");
    }
    this.epoch = epoch;
    this.recentCapacity = recentCapacity;
    this.clientQueueCapacity = clientQueueCapacity;
    this.calibratedRates = calibratedRates;
  }

  /** A hub whose epoch is the current time, in base 36. */
  static EventHub startingNow(
      int recentCapacity, int clientQueueCapacity, CalibratedRates calibratedRates) {
    return new EventHub(
        Long.toString(System.currentTimeMillis(), 36),
        recentCapacity,
        clientQueueCapacity,
        calibratedRates);
  }

  /**
   * Takes one line of the source. A malformed row is counted and logged, never thrown: one bad line
   * must not stop the stream.
   */
  void publishLine(String line) {
    DashboardRows.PageRow row;
    try {
      row = DashboardRows.toPageRow(line, calibratedRates);
    } catch (IllegalArgumentException e) {
      skipMalformed("a malformed row (" + e.getMessage() + ")");
      return;
    }
    synchronized (this) {
      RowEvent event = new RowEvent(++sequence, RowEvent.ROW, row.json());
      recent.addLast(event);
      if (recent.size() > recentCapacity) {
        recent.removeFirst();
      }
      rows.incrementAndGet();
      if (row.anomaly()) {
        anomalies.incrementAndGet();
      }
      offerToAll(event);
    }
  }

  /** Takes one line of the stream view's {@code windows/}; a malformed one is counted. */
  void publishWindowLine(String line) {
    StreamViewRows.PageWindow window;
    try {
      window = StreamViewRows.toPageWindow(line);
    } catch (IllegalArgumentException e) {
      skipMalformed("a malformed window row (" + e.getMessage() + ")");
      return;
    }
    synchronized (this) {
      windowRows.incrementAndGet();
      Versioned<Long> known = windows.get(window.key());
      if (known != null && known.state() > window.pane()) {
        return; // an earlier firing of a window already shown
      }
      RowEvent event = new RowEvent(++sequence, RowEvent.WINDOW, window.json());
      windows.remove(window.key());
      windows.put(window.key(), new Versioned<>(window.pane(), event));
      forgetEldest(windows, RECENT_WINDOWS);
      offerToAll(event);
    }
  }

  /** Takes one line of the stream view's {@code topics/}; a malformed one is counted. */
  void publishTopicLine(String line) {
    StreamViewRows.PageTopic topic;
    try {
      topic = StreamViewRows.toPageTopic(line);
    } catch (IllegalArgumentException e) {
      skipMalformed("a malformed topic row (" + e.getMessage() + ")");
      return;
    }
    synchronized (this) {
      Versioned<StreamViewRows.PageTopic> known = topics.get(topic.topicId());
      if (known != null && !topic.supersedes(known.state())) {
        return; // an older state of a topic already shown
      }
      RowEvent event = new RowEvent(++sequence, RowEvent.TOPIC, topic.json());
      topics.remove(topic.topicId());
      topics.put(topic.topicId(), new Versioned<>(topic, event));
      forgetEldest(topics, RECENT_TOPICS);
      topicsKept = topics.size();
      offerToAll(event);
    }
  }

  /** A source follows the stream view's rows: the page then waits for them rather than not. */
  void streamViewFollowed() {
    streamViewFollowed = true;
  }

  /** The first event of every stream: the epoch, and whether the stream view is followed. */
  String helloJson() {
    ObjectNode hello = Json.MAPPER.createObjectNode();
    hello.put("epoch", epoch);
    hello.put("stream_view", streamViewFollowed);
    return hello.toString();
  }

  private void offerToAll(RowEvent event) {
    for (ClientQueue client : clients) {
      client.offer(event);
    }
  }

  private static void forgetEldest(Map<String, ?> map, int capacity) {
    var eldest = map.keySet().iterator();
    while (map.size() > capacity) {
      eldest.next();
      eldest.remove();
    }
  }

  /** Counts something of the source that could not become a row, and says what in the log. */
  void skipMalformed(String what) {
    malformed.incrementAndGet();
    LOG.warn("skipped {}", what);
  }

  /**
   * Connects a browser: the recent rows after {@code lastEventId} (all of them when it is null or
   * of another epoch) and the queue of every row after those, taken together so that no row is
   * missed or sent twice.
   */
  synchronized Subscription subscribe(String lastEventId) {
    long after = sequenceOf(lastEventId);
    List<RowEvent> replay = new ArrayList<>();
    for (RowEvent event : recent) {
      if (event.sequence() > after) {
        replay.add(event);
      }
    }
    for (Versioned<?> window : windows.values()) {
      if (window.event().sequence() > after) {
        replay.add(window.event());
      }
    }
    for (Versioned<?> topic : topics.values()) {
      if (topic.event().sequence() > after) {
        replay.add(topic.event());
      }
    }
    replay.sort(Comparator.comparingLong(RowEvent::sequence));
    ClientQueue queue = new ClientQueue(clientQueueCapacity, dropped);
    if (closed) {
      queue.close();
    } else {
      clients.add(queue);
    }
    return new Subscription(replay, queue);
  }

  void unsubscribe(ClientQueue queue) {
    clients.remove(queue);
  }

  /** The SSE id of an event. */
  String eventId(RowEvent event) {
    return epoch + "-" + event.sequence();
  }

  String epoch() {
    return epoch;
  }

  /** The page's counters, as compact JSON; {@code client} adds what that browser lost. */
  String statsJson(ClientQueue client) {
    ObjectNode stats = Json.MAPPER.createObjectNode();
    stats.put("rows", rows.get());
    stats.put("anomalies", anomalies.get());
    stats.put("malformed", malformed.get());
    stats.put("dropped", dropped.get());
    stats.put("dropped_here", client.dropped());
    stats.put("clients", clients.size());
    stats.put("windows", windowRows.get());
    stats.put("topics", topicCount());
    return stats.toString();
  }

  long rows() {
    return rows.get();
  }

  long windowRows() {
    return windowRows.get();
  }

  /** Topics kept (each once, however often it grew). */
  int topicCount() {
    return topicsKept;
  }

  long malformed() {
    return malformed.get();
  }

  long dropped() {
    return dropped.get();
  }

  int clientCount() {
    return clients.size();
  }

  /** Ends every browser's stream: the server is stopping. */
  void close() {
    closed = true;
    for (ClientQueue client : clients) {
      client.close();
    }
  }

  private long sequenceOf(String lastEventId) {
    if (lastEventId == null || !lastEventId.startsWith(epoch + "-")) {
      return 0;
    }
    try {
      return Long.parseLong(lastEventId.substring(epoch.length() + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The state a row of the stream view stands for, and the event that carries it. */
  private record Versioned<S>(S state, RowEvent event) {}

  /** What a newly connected browser gets: rows to send first, then its queue. */
  record Subscription(List<RowEvent> replay, ClientQueue queue) {}
}
