package dev.anomalystream.dashboard;

/**
 * What a source's rows are, and so which of the hub's doors they go through: the detector's
 * detections, or the stream view's windows or topics. The label names the kind in file layouts
 * ({@code rows/}, {@code windows/}, {@code topics/}) and logs.
 */
enum RowKind {
  DETECTIONS("rows"),
  WINDOWS("windows"),
  TOPICS("topics");

  private final String label;

  RowKind(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  void publish(EventHub hub, String line) {
    switch (this) {
      case DETECTIONS -> hub.publishLine(line);
      case WINDOWS -> hub.publishWindowLine(line);
      case TOPICS -> hub.publishTopicLine(line);
    }
  }
}
