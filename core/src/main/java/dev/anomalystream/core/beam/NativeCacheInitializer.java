package dev.anomalystream.core.beam;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.apache.beam.sdk.harness.JvmInitializer;

/**
 * Gives DJL a writable directory for the tokenizer natives it unpacks, on every worker JVM before
 * any element is processed (Beam finds this class through {@code META-INF/services}). Without it
 * DJL picks the home directory, which a Dataflow worker may not own, and a Flex Template's {@code
 * --env} reaches only the launcher, not the workers. An explicit {@code DJL_CACHE_DIR} (environment
 * or system property), as the local launchers and Surefire set, wins.
 */
public final class NativeCacheInitializer implements JvmInitializer {
  static final String DJL_CACHE_DIR = "DJL_CACHE_DIR";

  @Override
  public void onStartup() {
    String chosen =
        cacheDirectoryToSet(
            System::getenv, System::getProperty, System.getProperty("java.io.tmpdir"));
    if (chosen != null) {
      System.setProperty(DJL_CACHE_DIR, chosen);
    }
  }

  /** The directory to set, or null when the environment or a system property already chose one. */
  static String cacheDirectoryToSet(
      UnaryOperator<String> environment, UnaryOperator<String> properties, String tempDirectory) {
    if (environment.apply(DJL_CACHE_DIR) != null || properties.apply(DJL_CACHE_DIR) != null) {
      return null;
    }
    return Path.of(tempDirectory, "djl").toString();
  }
}
