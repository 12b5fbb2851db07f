package dev.anomalystream.dashboard;

/**
 * The text/event-stream framing (WHATWG HTML, "Server-sent events"): fields, one per line, and a
 * blank line that ends the event. The data given here is always one line (compact JSON escapes its
 * line breaks), so each event has a single {@code data:} field.
 */
final class ServerSentEvents {
  private ServerSentEvents() {}

  /**
   * One event; {@code id} may be null (the browser then keeps its last id), {@code type} null for
   * the default "message" type.
   */
  static String event(String id, String type, String data) {
    if (data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("event data must be one line");
    }
    StringBuilder text = new StringBuilder(data.length() + 64);
    if (id != null) {
      text.append("id: ").append(id).append('\n');
    }
    if (type != null) {
      text.append("event: ").append(type).append('\n');
    }
    return text.append("data: ").append(data).append("\n\n").toString();
  }

  /** A comment line: browsers ignore it; it keeps proxies and idle timeouts from closing. */
  static String comment(String text) {
    return ": " + text + "\n\n";
  }

  /** How long a browser waits before reconnecting, in milliseconds. */
  static String retry(long millis) {
    return "retry: " + millis + "\n\n";
  }
}
