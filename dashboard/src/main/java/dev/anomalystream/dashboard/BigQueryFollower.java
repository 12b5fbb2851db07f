package dev.anomalystream.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the detector's BigQuery table ({@code --outputTable}) by polling it, and its stream
 * view's {@code <table>_windows} and {@code <table>_topics} when they exist. Each poll asks for the
 * rows newer than the newest time seen minus an overlap: the detector's Storage Write API commits
 * rows every few seconds ({@code --bigQueryTriggeringFrequencySeconds}), so a row can become
 * visible after rows processed later than it. Rows read twice because of the overlap are known by
 * their key columns (a detection by uid and processed_time) and handed on once. The first poll
 * looks back {@link #FIRST_LOOK_BACK}, keeping the newest {@code firstPollRows} (the page's
 * history); later ones at most {@link #MAX_ROWS_PER_POLL}, newest first, so a table written faster
 * than that shows its newest rows rather than falling ever further behind.
 *
 * <p>A failed poll (network, permissions, quota) is logged and tried again after a pause that
 * doubles with each failure in a row, up to {@code maxBackoff}; the server goes on serving what it
 * has.
 */
final class BigQueryFollower implements RowSource {
  private static final Logger LOG = LoggerFactory.getLogger(BigQueryFollower.class);

  /** How far back the first poll of a table looks: the hour the page's time series show. */
  static final Duration FIRST_LOOK_BACK = Duration.ofHours(1);

  static final int MAX_ROWS_PER_POLL = 10_000;

  /** Polls between two looks for a stream-view table that did not exist yet. */
  static final int EXISTENCE_RECHECK_POLLS = 15;

  /** Malformed rows remembered, so one read again in an overlap is counted once. */
  private static final int MALFORMED_REMEMBERED = 10_000;

  private final BigQueryReader reader;
  private final List<Cursor> cursors;
  private final Duration pollInterval;
  private final Duration maxBackoff;
  private final int firstPollRows;
  private final Clock clock;
  private final Set<String> malformedSeen =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > MALFORMED_REMEMBERED;
            }
          });
  private int polls;
  private int failuresInARow;
  private Thread thread;

  /**
   * @param tables the detections table first, then the stream view's (each looked for at start and
   *     every {@link #EXISTENCE_RECHECK_POLLS} polls until it exists)
   */
  BigQueryFollower(
      BigQueryReader reader,
      List<PolledTable> tables,
      Duration pollInterval,
      Duration maxBackoff,
      int firstPollRows,
      Clock clock) {
    if (tables.isEmpty()) {
      throw new IllegalArgumentException("no table to poll");
    }
    this.reader = reader;
    this.cursors = tables.stream().map(Cursor::new).toList();
    this.pollInterval = pollInterval;
    this.maxBackoff = maxBackoff;
    this.firstPollRows = firstPollRows;
    this.clock = clock;
  }

  @Override
  public void start(EventHub hub) {
    thread = new Thread(() -> follow(hub), "dashboard-bigquery");
    thread.setDaemon(true);
    thread.start();
  }

  private void follow(EventHub hub) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        pollOnce(hub);
        failuresInARow = 0;
        Thread.sleep(pollInterval.toMillis());
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        failuresInARow++;
        Duration pause = backoff(failuresInARow);
        LOG.warn(
            "polling BigQuery failed ({} in a row), trying again in {} s: {}",
            failuresInARow,
            pause.toMillis() / 1000.0,
            e.toString());
        try {
          Thread.sleep(pause.toMillis());
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** The pause after the {@code failures}-th failure in a row: the poll interval, doubled each. */
  Duration backoff(int failures) {
    Duration pause = pollInterval.multipliedBy(1L << Math.min(failures, 20));
    return pause.compareTo(maxBackoff) > 0 ? maxBackoff : pause;
  }

  /** One poll of every table that exists; returns how many new rows went to the hub. */
  int pollOnce(EventHub hub) throws IOException, InterruptedException {
    int published = 0;
    for (Cursor cursor : cursors) {
      if (!cursor.exists) {
        if (polls % EXISTENCE_RECHECK_POLLS != 0) {
          continue;
        }
        cursor.exists = reader.exists(cursor.table.table());
        if (!cursor.exists) {
          continue;
        }
        LOG.info("following {}", cursor.table);
        if (cursor.table.kind() != RowKind.DETECTIONS) {
          hub.streamViewFollowed();
        }
      }
      published += cursor.poll(hub);
    }
    polls++;
    return published;
  }

  @Override
  public String toString() {
    return cursors.stream().map(c -> c.table.toString()).collect(Collectors.joining(", "));
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Where the polls of one table stand. */
  private final class Cursor {
    private final PolledTable table;
    // the detections table must exist (a misspelt name is reported at every poll); the stream
    // view's tables are looked for
    private boolean exists;
    private Instant newest;
    // rows before it were cut off by a poll's limit, and stay skipped
    private Instant floor;
    // key of each row handed on -> its time, for the rows the next poll can read again
    private final Map<String, Instant> seen = new HashMap<>();

    Cursor(PolledTable table) {
      this.table = table;
      this.exists = table.kind() == RowKind.DETECTIONS;
    }

    int poll(EventHub hub) throws IOException, InterruptedException {
      boolean first = newest == null;
      Instant since =
          first ? clock.instant().minus(FIRST_LOOK_BACK) : newest.minus(table.overlap());
      int limit = first ? firstPollRows : MAX_ROWS_PER_POLL;
      List<String> rows = new ArrayList<>(reader.newestAfter(table, since, limit));
      Collections.reverse(rows); // oldest first, as the detector processed them
      boolean cut = rows.size() >= limit;
      if (cut && !first) {
        LOG.warn(
            "{}: {} rows or more since {}; the page shows the newest, older ones are skipped",
            table,
            limit,
            since);
      }
      int published = 0;
      for (String line : rows) {
        JsonNode row;
        Instant time;
        try {
          row = DashboardRows.jsonObject(line);
          time = Instant.parse(row.path(table.timeColumn()).asText());
        } catch (IllegalArgumentException | DateTimeParseException e) {
          if (malformedSeen.add(table.kind() + line)) {
            hub.skipMalformed("a malformed " + table + " row (" + e.getMessage() + ")");
          }
          continue;
        }
        if (cut) {
          // the limit cut off older rows: the next poll, reaching back over the overlap, must not
          // hand them on out of order either
          floor = floor == null || time.isAfter(floor) ? time : floor;
          cut = false;
        }
        if (floor != null && time.isBefore(floor)) {
          continue;
        }
        String key =
            table.keyColumns().stream()
                .map(column -> row.path(column).asText())
                .collect(Collectors.joining("\u0000"));
        if (seen.putIfAbsent(key, time) != null) {
          continue; // read again in the overlap
        }
        table.kind().publish(hub, line);
        published++;
        if (newest == null || time.isAfter(newest)) {
          newest = time;
        }
      }
      if (newest == null) {
        newest = since; // an empty table: the next poll starts where this one did
      }
      forgetBefore(newest.minus(table.overlap()));
      return published;
    }

    private void forgetBefore(Instant oldest) {
      for (Iterator<Instant> times = seen.values().iterator(); times.hasNext(); ) {
        if (times.next().isBefore(oldest)) {
          times.remove();
        }
      }
    }
  }
}
