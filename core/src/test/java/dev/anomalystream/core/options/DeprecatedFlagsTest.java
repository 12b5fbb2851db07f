package dev.anomalystream.core.options;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeprecatedFlagsTest {
  private static final DeprecatedFlags FLAGS =
      new DeprecatedFlags("train", Map.of("k", "knnK", "output", "modelRoot"));

  @Test
  void renamesOldFlagsKeepingTheirValuesAndWarnsOncePerFlag() {
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    String[] rewritten =
        FLAGS.rewrite(
            new String[] {"--k=3", "--input=a.txt", "--output=out/models", "--k=5", "--kx=1"},
            new PrintStream(warnings, true, StandardCharsets.UTF_8));
    assertArrayEquals(
        new String[] {"--knnK=3", "--input=a.txt", "--modelRoot=out/models", "--knnK=5", "--kx=1"},
        rewritten);
    assertEquals(
        "train: --k is deprecated, use --knnK%ntrain: --output is deprecated, use --modelRoot%n"
            .formatted(),
        warnings.toString(StandardCharsets.UTF_8));
  }

  @Test
  void leavesCurrentSpellingsAloneAndSaysNothing() {
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    String[] args = {"--knnK=3", "--modelRoot=out/models", "--includeAnomalies"};
    assertArrayEquals(
        args, FLAGS.rewrite(args, new PrintStream(warnings, true, StandardCharsets.UTF_8)));
    assertEquals("", warnings.toString(StandardCharsets.UTF_8));
  }
}
