package dev.anomalystream.train;

import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.EmbeddingModelSpec;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.options.EmbeddingCacheOptions;
import dev.anomalystream.core.options.EmbeddingOptions;
import dev.anomalystream.core.options.OptionValues;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Embeds the texts of a command-line run in slices, printing progress, optionally through a cache
 * directory: experiments embed the same files again and again, and embedding is by far the slowest
 * step. A cache entry is keyed by the embedding model and every text, so a changed file or model
 * never reads stale vectors. Public for the benchmarks, which measure on the same cached vectors.
 */
public final class TextEmbeddings {
  private static final int SLICE = 1024;
  private static final int CACHE_MAGIC = 0x454d4231; // "EMB1"

  private final SentenceEmbedder embedder;
  private final Path cacheDirectory;
  private final PrintStream progress;

  /**
   * @param cacheDirectory where to keep vectors between runs, or null for no cache
   */
  public TextEmbeddings(SentenceEmbedder embedder, Path cacheDirectory, PrintStream progress) {
    this.embedder = embedder;
    this.cacheDirectory = cacheDirectory;
    this.progress = progress;
  }

  /**
   * How the tools that embed corpus files start: the embedding model the options name (the default
   * when {@code --embeddingModel} is blank) on their threads and device, caching under {@code
   * --embeddingCache} when given.
   */
  public static <T extends EmbeddingOptions & EmbeddingCacheOptions> TextEmbeddings forOptions(
      T options, PrintStream progress) {
    String model = OptionValues.blankToNull(options.getEmbeddingModel());
    SentenceEmbedder embedder =
        SharedEmbedders.get(
            EmbedderOptions.of(model == null ? EmbeddingModelSpec.DEFAULT : model)
                .withIntraOpThreads(options.getIntraOpThreads())
                .withDevice(EmbeddingOptions.device(options)));
    String cache = OptionValues.blankToNull(options.getEmbeddingCache());
    return new TextEmbeddings(embedder, cache == null ? null : Path.of(cache), progress);
  }

  public SentenceEmbedder embedder() {
    return embedder;
  }

  /** The result and whether it came from the cache (then no embedding time was spent). */
  public record Vectors(float[][] vectors, boolean fromCache) {}

  public Vectors embed(String label, List<String> texts) throws IOException {
    Path cached = cacheDirectory == null ? null : cacheDirectory.resolve(cacheKey(texts) + ".f32");
    if (cached != null && Files.exists(cached)) {
      float[][] vectors = read(cached, texts.size());
      progress.printf(Locale.ROOT, "%s: %d vectors from cache %s%n", label, texts.size(), cached);
      return new Vectors(vectors, true);
    }
    float[][] vectors = new float[texts.size()][];
    long start = System.nanoTime();
    for (int from = 0; from < texts.size(); from += SLICE) {
      int to = Math.min(texts.size(), from + SLICE);
      float[][] slice = embedder.embed(texts.subList(from, to));
      System.arraycopy(slice, 0, vectors, from, slice.length);
      double seconds = (System.nanoTime() - start) / 1e9;
      progress.printf(
          Locale.ROOT,
          "%s: embedded %d/%d (%.0f texts/s)%n",
          label,
          to,
          texts.size(),
          to / seconds);
      progress.flush();
    }
    if (cached != null) {
      write(cached, vectors);
    }
    return new Vectors(vectors, false);
  }

  private String cacheKey(List<String> texts) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    digest.update(
        (embedder.modelId() + "\n" + embedder.maxSequenceLength() + "\n")
            .getBytes(StandardCharsets.UTF_8));
    for (String text : texts) {
      digest.update(text.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static float[][] read(Path file, int expectedRows) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      int rows;
      int dimension;
      if (in.readInt() != CACHE_MAGIC
          || (rows = in.readInt()) != expectedRows
          || (dimension = in.readInt()) < 1) {
        throw new IOException(
            file + " is not an embedding cache entry for these texts: delete it and run again");
      }
      float[][] vectors = new float[rows][dimension];
      for (float[] vector : vectors) {
        for (int d = 0; d < dimension; d++) {
          vector[d] = in.readFloat();
        }
      }
      return vectors;
    }
  }

  /** Writes beside the target and renames, so an interrupted run leaves no partial entry. */
  private static void write(Path file, float[][] vectors) throws IOException {
    Files.createDirectories(file.getParent());
    Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16))) {
      out.writeInt(CACHE_MAGIC);
      out.writeInt(vectors.length);
      out.writeInt(vectors.length == 0 ? 1 : vectors[0].length);
      for (float[] vector : vectors) {
        for (float value : vector) {
          out.writeFloat(value);
        }
      }
    }
    Files.move(
        temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
