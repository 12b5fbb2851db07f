package dev.anomalystream.core.text;

import dev.anomalystream.core.model.StoredModel;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many texts of the training corpus hold each term (document frequencies), so that the terms
 * setting a group of new texts apart from the corpus can be named (tf-idf against it).
 *
 * <p>A term is a lowercased run of letters, digits and apostrophes of at least two characters,
 * outside a small English stop-word list. Only terms in at least two corpus texts are kept (a term
 * seen once says nothing about the corpus and most are typos), and at most {@link #MAX_VOCABULARY}
 * of them, the most frequent. A term the statistics do not hold counts as in no corpus text.
 *
 * <p>Immutable and thread-safe.
 */
public final class TermStatistics implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String FILE = "terms.bin";

  static final int MIN_DOCUMENT_FREQUENCY = 2;
  static final int MAX_VOCABULARY = 50_000;
  private static final int MIN_TERM_LENGTH = 2;

  /** Among three or more texts, a term in only one of them describes that text, not the group. */
  private static final int MIN_TEXTS_WITH_TERM = 2;

  private static final int BINARY_FORMAT = 1;
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");
  private static final Set<String> STOP_WORDS =
      Set.of(
          "a", "about", "after", "again", "all", "am", "an", "and", "any", "are", "as", "at", "be",
          "because", "been", "before", "being", "but", "by", "can", "could", "did", "do", "does",
          "doing", "don't", "for", "from", "had", "has", "have", "having", "he", "her", "here",
          "hers", "him", "his", "how", "i", "i'm", "i've", "if", "in", "into", "is", "it", "it's",
          "its", "just", "me", "more", "most", "my", "myself", "no", "not", "now", "of", "off",
          "on", "once", "only", "or", "other", "our", "out", "over", "own", "same", "she", "so",
          "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they",
          "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we",
          "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
          "would", "you", "your");

  private final int documents;
  private final Map<String, Integer> documentFrequencies;

  private TermStatistics(int documents, Map<String, Integer> documentFrequencies) {
    this.documents = documents;
    this.documentFrequencies = Map.copyOf(documentFrequencies);
  }

  /** Counts the texts that hold each term of {@code texts}. */
  public static TermStatistics fit(List<String> texts) {
    Map<String, Integer> counts = new HashMap<>();
    for (String text : texts) {
      for (String term : terms(text)) {
        counts.merge(term, 1, Integer::sum);
      }
    }
    Map<String, Integer> kept = new HashMap<>();
    counts.entrySet().stream()
        .filter(entry -> entry.getValue() >= MIN_DOCUMENT_FREQUENCY)
        .sorted(
            Map.Entry.<String, Integer>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(MAX_VOCABULARY)
        .forEach(entry -> kept.put(entry.getKey(), entry.getValue()));
    return new TermStatistics(texts.size(), kept);
  }

  /** The statistics of a stored version; empty for versions trained without them. */
  public static Optional<TermStatistics> load(StoredModel stored) throws IOException {
    if (!stored.fileNames().contains(FILE)) {
      return Optional.empty();
    }
    try (DataInputStream in = stored.open(FILE)) {
      return Optional.of(readFrom(in));
    }
  }

  /**
   * The {@code n} terms that most set {@code texts} apart from the corpus, best first: scored by
   * the share of the texts holding the term times its inverse document frequency {@code ln((N + 1)
   * / (df + 1))}. With three or more texts a term must be in at least two of them. Terms as common
   * in the corpus as can be score 0 and are left out.
   */
  public List<String> topTerms(List<String> texts, int n) {
    Map<String, Integer> textsWithTerm = new HashMap<>();
    for (String text : texts) {
      for (String term : terms(text)) {
        textsWithTerm.merge(term, 1, Integer::sum);
      }
    }
    int required = texts.size() >= 3 ? MIN_TEXTS_WITH_TERM : 1;
    Map<String, Double> scores = new HashMap<>();
    textsWithTerm.forEach(
        (term, count) -> {
          double score = (double) count / texts.size() * inverseDocumentFrequency(term);
          if (count >= required && score > 0) {
            scores.put(term, score);
          }
        });
    return scores.entrySet().stream()
        .sorted(
            Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(n)
        .map(Map.Entry::getKey)
        .toList();
  }

  /** How many corpus texts the statistics were counted over. */
  public int documents() {
    return documents;
  }

  /** How many corpus texts hold {@code term}; 0 for a term the statistics do not hold. */
  public int documentFrequency(String term) {
    return documentFrequencies.getOrDefault(term, 0);
  }

  public int vocabularySize() {
    return documentFrequencies.size();
  }

  public void writeTo(DataOutputStream out) throws IOException {
    out.writeInt(BINARY_FORMAT);
    out.writeInt(documents);
    out.writeInt(documentFrequencies.size());
    for (Map.Entry<String, Integer> entry : documentFrequencies.entrySet()) {
      out.writeUTF(entry.getKey());
      out.writeInt(entry.getValue());
    }
    out.flush();
  }

  public static TermStatistics readFrom(DataInputStream in) throws IOException {
    int format = in.readInt();
    if (format != BINARY_FORMAT) {
      throw new IOException(
          "term statistics format " + format + " is not the one this code reads, " + BINARY_FORMAT);
    }
    int documents = in.readInt();
    int size = in.readInt();
    if (documents < 0 || size < 0) {
      throw new IOException(
          "term statistics of " + documents + " texts and " + size + " terms are corrupt");
    }
    Map<String, Integer> frequencies = new HashMap<>();
    for (int i = 0; i < size; i++) {
      frequencies.put(in.readUTF(), in.readInt());
    }
    return new TermStatistics(documents, frequencies);
  }

  /** The distinct terms of {@code text}, in order of first appearance. */
  public static Set<String> terms(String text) {
    Set<String> terms = new LinkedHashSet<>();
    Matcher matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (matcher.find()) {
      // quotes around a word are punctuation, not part of it
      String term = stripApostrophes(matcher.group());
      if (term.length() >= MIN_TERM_LENGTH && !STOP_WORDS.contains(term)) {
        terms.add(term);
      }
    }
    return terms;
  }

  private double inverseDocumentFrequency(String term) {
    return Math.log((documents + 1.0) / (documentFrequency(term) + 1.0));
  }

  private static String stripApostrophes(String word) {
    int start = 0;
    int end = word.length();
    while (start < end && word.charAt(start) == '\'') {
      start++;
    }
    while (end > start && word.charAt(end - 1) == '\'') {
      end--;
    }
    return word.substring(start, end);
  }
}
