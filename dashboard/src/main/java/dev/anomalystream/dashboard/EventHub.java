package dev.anomalystream.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.json.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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
 */
final class EventHub {
  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

  private final String epoch;
  private final int recentCapacity;
  private final int clientQueueCapacity;
  private final CalibratedRates calibratedRates;
  private final ArrayDeque<RowEvent> recent = new ArrayDeque<>();
  private final List<ClientQueue> clients = new CopyOnWriteArrayList<>();
  private final AtomicLong rows = new AtomicLong();
  private final AtomicLong anomalies = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private long sequence;
  private volatile boolean closed;

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
      RowEvent event = new RowEvent(++sequence, row.json());
      recent.addLast(event);
      if (recent.size() > recentCapacity) {
        recent.removeFirst();
      }
      rows.incrementAndGet();
      if (row.anomaly()) {
        anomalies.incrementAndGet();
      }
      for (ClientQueue client : clients) {
        client.offer(event);
      }
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
    return stats.toString();
  }

  long rows() {
    return rows.get();
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

  /** What a newly connected browser gets: rows to send first, then its queue. */
  record Subscription(List<RowEvent> replay, ClientQueue queue) {}
}
