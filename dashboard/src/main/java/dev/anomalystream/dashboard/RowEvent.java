package dev.anomalystream.dashboard;

/**
 * One event of the stream as browsers receive it: its place in the stream ({@code sequence}, which
 * the SSE id carries; one sequence for every type), its SSE type ({@link #ROW} a detection, {@link
 * #WINDOW} a window of the stream view, {@link #TOPIC} a topic of it) and the compact JSON of the
 * fields the page draws.
 */
record RowEvent(long sequence, String type, String json) {
  static final String ROW = "row";
  static final String WINDOW = "window";
  static final String TOPIC = "topic";
}
