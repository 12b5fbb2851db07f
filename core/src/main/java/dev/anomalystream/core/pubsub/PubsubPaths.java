package dev.anomalystream.core.pubsub;

/**
 * Full Pub/Sub resource paths from what a person types: a bare name in a project, or a full path.
 */
public final class PubsubPaths {
  private PubsubPaths() {}

  /** {@code projects/<project>/topics/<name>} for a bare name; a full path as it is. */
  public static String topic(String topic, String project) {
    return path(topic, project, "topics", "--topic");
  }

  /** {@code projects/<project>/subscriptions/<name>} for a bare name; a full path as it is. */
  public static String subscription(String subscription, String project) {
    return path(subscription, project, "subscriptions", "--subscription");
  }

  private static String path(String name, String project, String kind, String option) {
    if (name.startsWith("projects/")) {
      if (!name.matches("projects/[^/]+/" + kind + "/[^/]+")) {
        throw new IllegalArgumentException(
            option + "=" + name + " is not projects/<project>/" + kind + "/<name>");
      }
      return name;
    }
    if (project == null || project.isBlank()) {
      throw new IllegalArgumentException(
          option
              + "="
              + name
              + " is a bare name: give --project or a full projects/<p>/"
              + kind
              + "/<name> path");
    }
    return "projects/" + project + "/" + kind + "/" + name;
  }
}
