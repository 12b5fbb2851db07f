package dev.anomalystream.core.dataset;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which records become messages: a set of classes and a seeded sample fraction. The sample is a
 * pure function of (seed, uid), not a random draw, so it picks the same records in every run and on
 * every worker, whatever the bundling.
 */
public final class MessageSelection implements Serializable {
  private static final long serialVersionUID = 1L;

  private final EnumSet<EmotionLabel> classes;
  private final double sampleFraction;
  private final long seed;

  /**
   * @param classes the classes to keep; empty keeps all, including records without a label
   * @param sampleFraction in (0, 1]; 1 keeps every selected record
   */
  public MessageSelection(Set<EmotionLabel> classes, double sampleFraction, long seed) {
    if (!(sampleFraction > 0 && sampleFraction <= 1)) {
      throw new IllegalArgumentException(
          "the sample fraction must be in (0, 1], was " + sampleFraction);
    }
    this.classes = classes.isEmpty() ? EnumSet.noneOf(EmotionLabel.class) : EnumSet.copyOf(classes);
    this.sampleFraction = sampleFraction;
    this.seed = seed;
  }

  public static MessageSelection all() {
    return new MessageSelection(Set.of(), 1.0, 0);
  }

  /**
   * Parses class names or ids such as {@code [sadness, anger, 5]}; null, blank or {@code all} means
   * every class.
   */
  public static Set<EmotionLabel> parseClasses(List<String> names) {
    if (names == null
        || names.stream().allMatch(String::isBlank)
        || (names.size() == 1 && names.get(0).trim().equalsIgnoreCase("all"))) {
      return Set.of();
    }
    return names.stream()
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(
            s ->
                EmotionLabel.parse(s)
                    .orElseThrow(
                        () ->
                            new IllegalArgumentException(
                                "unknown class '"
                                    + s
                                    + "': use "
                                    + Arrays.stream(EmotionLabel.values())
                                        .map(EmotionLabel::label)
                                        .collect(Collectors.joining(", ")))))
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(EmotionLabel.class)));
  }

  public boolean keep(CorpusRecord record) {
    if (!classes.isEmpty() && (record.label() == null || !classes.contains(record.label()))) {
      return false;
    }
    return sampleFraction >= 1 || unitHash(record.uid()) < sampleFraction;
  }

  /** A uniform value in [0, 1) from (seed, uid): FNV-1a then a 64-bit finaliser. */
  private double unitHash(String uid) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (byte b : uid.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return (h >>> 11) * 0x1.0p-53;
  }
}
