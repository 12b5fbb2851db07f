package dev.anomalystream.dashboard;

/**
 * Where the detector's rows come from. A source runs on its own thread and hands each row, as one
 * line of JSON, to the hub; closing it stops that thread.
 */
interface RowSource extends AutoCloseable {
  /** Starts following; returns at once. */
  void start(EventHub hub);

  @Override
  void close();
}
