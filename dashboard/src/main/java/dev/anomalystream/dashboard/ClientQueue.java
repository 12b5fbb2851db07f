package dev.anomalystream.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The events waiting for one browser. Bounded: when it is full the oldest event is dropped and
 * counted, so a slow browser loses rows instead of holding up the source or the other browsers.
 */
final class ClientQueue {
  private final int capacity;
  private final AtomicLong droppedEverywhere;
  private final ArrayDeque<RowEvent> events = new ArrayDeque<>();
  private long dropped;
  private boolean closed;

  ClientQueue(int capacity, AtomicLong droppedEverywhere) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a client queue holds at least one event");
    }
    this.capacity = capacity;
    this.droppedEverywhere = droppedEverywhere;
  }

  /** Never blocks. */
  synchronized void offer(RowEvent event) {
    if (events.size() == capacity) {
      events.removeFirst();
      dropped++;
      droppedEverywhere.incrementAndGet();
    }
    events.addLast(event);
    notifyAll();
  }

  /**
   * Every waiting event, oldest first, after waiting up to {@code timeoutMillis} for one; empty
   * when none came or the queue was closed.
   */
  synchronized List<RowEvent> takeAll(long timeoutMillis) throws InterruptedException {
    if (events.isEmpty() && !closed) {
      wait(timeoutMillis);
    }
    List<RowEvent> taken = new ArrayList<>(events);
    events.clear();
    return taken;
  }

  synchronized long dropped() {
    return dropped;
  }

  /** Wakes a waiting {@link #takeAll}: the server is stopping. */
  synchronized void close() {
    closed = true;
    notifyAll();
  }

  synchronized boolean isClosed() {
    return closed;
  }
}
