package dev.anomalystream.core.beam;

import static dev.anomalystream.core.beam.NativeCacheInitializer.cacheDirectoryToSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.ServiceLoader;
import org.apache.beam.sdk.harness.JvmInitializer;
import org.junit.jupiter.api.Test;

class NativeCacheInitializerTest {
  private static final Map<String, String> NOTHING = Map.of();
  private static final Map<String, String> CHOSEN =
      Map.of(NativeCacheInitializer.DJL_CACHE_DIR, "/somewhere/chosen");

  @Test
  void beamFindsItAsAWorkerInitializer() {
    assertTrue(
        ServiceLoader.load(JvmInitializer.class).stream()
            .anyMatch(provider -> provider.type() == NativeCacheInitializer.class));
  }

  @Test
  void pointsDjlAtTheTempDirectoryWhenNothingChoseOne() {
    assertEquals("/tmp/w/djl", cacheDirectoryToSet(NOTHING::get, NOTHING::get, "/tmp/w"));
  }

  @Test
  void leavesADirectoryTheOperatorChose() {
    assertNull(cacheDirectoryToSet(CHOSEN::get, NOTHING::get, "/tmp/w"), "environment");
    assertNull(cacheDirectoryToSet(NOTHING::get, CHOSEN::get, "/tmp/w"), "system property");
  }
}
