package dev.anomalystream.core.alert;

import java.io.IOException;
import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * Reads a secret's value by the resource name of one of its versions. On Dataflow the detector
 * reads the SMTP password from Secret Manager through one (workers have neither the launcher's
 * files nor its environment); tests pass a fake.
 */
public interface SecretReader extends AutoCloseable {
  /** A secret version: {@code projects/PROJECT/secrets/SECRET/versions/VERSION}. */
  Pattern VERSION_NAME = Pattern.compile("projects/[^/\\s]+/secrets/[^/\\s]+/versions/[^/\\s]+");

  /** The value of the secret version {@code versionName}, as UTF-8 text. */
  String read(String versionName) throws IOException;

  @Override
  default void close() {}

  /** Makes a reader where it is used (a DoFn's {@code @Setup}): clients do not serialize. */
  interface Factory extends Serializable {
    SecretReader create() throws IOException;
  }

  /** {@code name} when it is a secret version's resource name; a clear error otherwise. */
  static String requireVersionName(String name, String what) {
    if (name == null || !VERSION_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what
              + " must name a Secret Manager secret version,"
              + " projects/PROJECT/secrets/SECRET/versions/VERSION (a number or latest), was '"
              + name
              + "'");
    }
    return name;
  }
}
