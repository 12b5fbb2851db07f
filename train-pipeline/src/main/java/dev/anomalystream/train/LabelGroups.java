package dev.anomalystream.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A labelled corpus's rows split by class, for per-group models trained from a corpus file (its
 * classes standing for groups, as ingest's {@code --groupColumn=label} sends them): the vectors of
 * each class, in their order. Public for the benchmarks' measurements on the same split.
 */
public final class LabelGroups {
  private LabelGroups() {}

  /**
   * @param vectors one per text
   * @param texts the texts the vectors embed
   * @param labelByText each labelled text's class ({@link CorpusTexts#labelByText()})
   * @return class name → its rows' vectors, classes in name order; unlabelled rows in none
   */
  public static Map<String, float[][]> split(
      float[][] vectors, List<String> texts, Map<String, String> labelByText) {
    if (vectors.length != texts.size()) {
      throw new IllegalArgumentException(
          vectors.length + " vectors for " + texts.size() + " texts");
    }
    Map<String, List<float[]>> rows = new TreeMap<>();
    for (int i = 0; i < vectors.length; i++) {
      String label = labelByText.get(texts.get(i));
      if (label != null) {
        rows.computeIfAbsent(label, k -> new ArrayList<>()).add(vectors[i]);
      }
    }
    Map<String, float[][]> groups = new TreeMap<>();
    rows.forEach((label, list) -> groups.put(label, list.toArray(new float[0][])));
    return groups;
  }
}
