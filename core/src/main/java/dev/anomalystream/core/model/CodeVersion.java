package dev.anomalystream.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this code, recorded in every model it trains so a model can be traced to the build
 * that made it. Maven writes it into a resource at build time (so it is known when running from
 * {@code target/classes} too, unlike a jar manifest); "dev" when the resource is absent or was not
 * filtered, e.g. when compiled by an IDE.
 */
public final class CodeVersion {
  static final String UNKNOWN = "dev";
  private static final String RESOURCE = "code-version.properties";

  private CodeVersion() {}

  public static String current() {
    try (InputStream in = CodeVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return UNKNOWN;
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("code.version", "").trim();
      return version.isEmpty() || version.contains("${") ? UNKNOWN : version;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
    }
  }
}
