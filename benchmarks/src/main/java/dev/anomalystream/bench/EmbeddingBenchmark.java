package dev.anomalystream.bench;

import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.EmbeddingModelSpec;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Sentences per second of {@link SentenceEmbedder} (fp32 and int8 all-MiniLM-L6-v2, several batch
 * sizes and thread layouts) and of langchain4j's embedAll on the same texts, in one run so the
 * figures share the machine's load; then the detector's default model (rows "dflt") in bulk. Last
 * line: one JSON object with the headline figures.
 *
 * <p>Usage: {@code EmbeddingBenchmark [--sentences=N] [--data=FILE] [--model=SPEC]}; FILE holds one
 * text a line as {@code text;label} (the emotion corpus), default {@code
 * ../shared/data/emotion/validation.txt}, with generated sentences when it is absent.
 */
public final class EmbeddingBenchmark {
  private static final int WARMUP_SENTENCES = 64;
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  /** How the work is spread: callers sharing one session, each run using intra-op threads. */
  private static final class Layout {
    final int callers;
    final int intraOpThreads;

    Layout(int callers, int intraOpThreads) {
      this.callers = callers;
      this.intraOpThreads = intraOpThreads;
    }

    @Override
    public String toString() {
      return callers + " caller" + (callers > 1 ? "s" : "") + " x " + intraOpThreads + " intra-op";
    }
  }

  private EmbeddingBenchmark() {}

  /** The options of {@code scripts/bench-embed}. */
  public interface EmbeddingBenchmarkOptions extends PipelineOptions {
    @Description("Texts embedded per measurement")
    @Default.Integer(300)
    int getSentences();

    void setSentences(int value);

    @Description(
        "One text a line as text;label (the emotion corpus); generated sentences when it is absent")
    @Default.String("../shared/data/emotion/validation.txt")
    String getData();

    void setData(String value);

    @Description(
        "Only this embedding model (a spec such as builtin:bge-small-en-v1.5), in bulk in each"
            + " thread layout; the last line is then {\"model\",\"sentences\",\"bulk_best\"}")
    String getModel();

    void setModel(String value);
  }

  public static void main(String[] args) throws Exception {
    PipelineOptionsFactory.register(EmbeddingBenchmarkOptions.class);
    EmbeddingBenchmarkOptions options =
        PipelineOptionsFactory.fromArgs(args).as(EmbeddingBenchmarkOptions.class);
    int sentences = options.getSentences();
    Path data = Path.of(options.getData());
    List<String> texts = loadTexts(data, sentences);
    System.out.printf(
        Locale.ROOT,
        "%d texts from %s, mean %.0f characters; %d cores%n",
        texts.size(),
        Files.isRegularFile(data) ? data : "generated sentences",
        texts.stream().mapToInt(String::length).average().orElse(0),
        CORES);

    List<Layout> layouts = new ArrayList<>(List.of(new Layout(1, CORES)));
    if (CORES > 1) {
      layouts.add(new Layout(CORES, 1));
      // concurrent DoFn threads sharing a session whose runs each want every core: what
      // --intraOpThreads=0 (ONNX Runtime's choice, all cores) gives a busy worker
      layouts.add(new Layout(CORES, CORES));
    }
    String only = options.getModel();
    if (only != null && !only.isBlank()) {
      // one model in bulk, as the training job embeds: what scripts/bench-detect compares with
      Map<String, Double> rates = new LinkedHashMap<>();
      for (Layout layout : layouts) {
        measureBulk(rates, optionsFor(only, layout), "model", texts, layout);
      }
      System.out.printf(
          Locale.ROOT,
          "{\"model\":\"%s\",\"sentences\":%d,\"bulk_best\":%.1f}%n",
          only,
          texts.size(),
          best(rates));
      return;
    }
    Map<String, Double> fp32 = measureModel("builtin:all-minilm-l6-v2", "fp32", texts, layouts);
    Map<String, Double> int8 = measureModel("builtin:all-minilm-l6-v2-q", "int8", texts, layouts);
    double langchain4j = measureLangchain4j(texts);
    // the detector's default model is larger than all-MiniLM-L6-v2: what it costs per message
    Map<String, Double> detectorModel = new LinkedHashMap<>();
    for (Layout layout : layouts) {
      measureBulk(
          detectorModel, optionsFor(EmbeddingModelSpec.DEFAULT, layout), "dflt", texts, layout);
    }
    double detectorModelBest = best(detectorModel);

    double fp32Best = best(fp32);
    double int8Best = best(int8);
    double fp32Batch1 = fp32.get("batch 1, " + layouts.get(0));
    System.out.printf(
        Locale.ROOT,
        "best fp32 %.1f/s = %.2fx langchain4j; best int8 %.1f/s = %.2fx best fp32%n",
        fp32Best,
        fp32Best / langchain4j,
        int8Best,
        int8Best / fp32Best);
    System.out.printf(
        Locale.ROOT,
        "{\"sentences\":%d,\"fp32_best\":%.1f,\"int8_best\":%.1f,\"fp32_batch1\":%.1f,"
            + "\"langchain4j\":%.1f,\"ratio_fp32_vs_langchain4j\":%.2f,\"ratio_int8_vs_fp32\":%.2f,"
            + "\"default_model\":\"%s\",\"default_model_best\":%.1f}%n",
        texts.size(),
        fp32Best,
        int8Best,
        fp32Batch1,
        langchain4j,
        fp32Best / langchain4j,
        int8Best / fp32Best,
        EmbeddingModelSpec.DEFAULT,
        detectorModelBest);
  }

  /** The first {@code count} texts of the file, cycling when it is shorter; else generated. */
  static List<String> loadTexts(Path file, int count) throws IOException {
    List<String> corpus;
    if (Files.isRegularFile(file)) {
      corpus =
          Files.readAllLines(file, StandardCharsets.UTF_8).stream()
              .filter(line -> !line.isBlank())
              .map(
                  line ->
                      line.lastIndexOf(';') > 0 ? line.substring(0, line.lastIndexOf(';')) : line)
              .collect(Collectors.toList());
    } else {
      corpus = generatedSentences(count);
    }
    List<String> texts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      texts.add(corpus.get(i % corpus.size()));
    }
    return texts;
  }

  /** Tweet-like sentences of 5 to 40 words, the same every run. */
  private static List<String> generatedSentences(int count) {
    String[] words =
        ("i feel so happy today but the weather is terrible and my train was late again "
                + "nothing works anymore when the server crashed everyone lost their minds "
                + "love this song cannot stop listening with friends after work tired angry")
            .split(" ");
    Random random = new Random(42);
    List<String> sentences = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int length = 5 + random.nextInt(36);
      StringBuilder sentence = new StringBuilder();
      for (int w = 0; w < length; w++) {
        sentence.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
      }
      sentences.add(sentence.toString());
    }
    return sentences;
  }

  /**
   * One model in every configuration. "batch N" is the size of each {@code embed} call (what
   * EmbedTexts' max batch size sets); inside a call texts are sorted by length and run in slices of
   * the default inference batch size. "unsorted" runs a call as one padded slice, to show what
   * sorting saves; "bulk" (all texts split between the callers) is the training job's case.
   */
  private static Map<String, Double> measureModel(
      String spec, String label, List<String> texts, List<Layout> layouts) throws Exception {
    Map<String, Double> rates = new LinkedHashMap<>();
    for (Layout layout : layouts) {
      EmbedderOptions sliced = optionsFor(spec, layout);
      boolean firstLayout = layout == layouts.get(0);
      for (int callSize : firstLayout ? new int[] {1, 8, 32, 64} : new int[] {1, 64}) {
        measure(rates, sliced, label, "batch " + callSize, texts, layout, callSize);
      }
      if (firstLayout) {
        measure(
            rates,
            sliced.withInferenceBatchSize(64),
            label,
            "batch 64 unsorted",
            texts,
            layout,
            64);
      }
      measureBulk(rates, sliced, label, texts, layout);
    }
    return rates;
  }

  private static double best(Map<String, Double> rates) {
    return rates.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }

  private static EmbedderOptions optionsFor(String spec, Layout layout) {
    return EmbedderOptions.of(spec).withIntraOpThreads(layout.intraOpThreads).withInterOpThreads(1);
  }

  /** All texts split evenly between the callers, one call each: the training job's case. */
  private static void measureBulk(
      Map<String, Double> rates,
      EmbedderOptions options,
      String label,
      List<String> texts,
      Layout layout)
      throws Exception {
    int callSize = (texts.size() + layout.callers - 1) / layout.callers;
    measure(rates, options, label, "bulk, one call per caller", texts, layout, callSize);
  }

  /** Records sentences per second for calls of {@code callSize} texts spread over the callers. */
  private static void measure(
      Map<String, Double> rates,
      EmbedderOptions options,
      String label,
      String configuration,
      List<String> texts,
      Layout layout,
      int callSize)
      throws Exception {
    List<List<String>> calls = new ArrayList<>();
    for (int start = 0; start < texts.size(); start += callSize) {
      calls.add(texts.subList(start, Math.min(texts.size(), start + callSize)));
    }
    ExecutorService callers = Executors.newFixedThreadPool(layout.callers);
    try (SentenceEmbedder embedder = SentenceEmbedder.open(options)) {
      embedder.embed(texts.subList(0, Math.min(WARMUP_SENTENCES, texts.size())));
      long start = System.nanoTime();
      List<Future<?>> pending = new ArrayList<>();
      for (List<String> call : calls) {
        pending.add(callers.submit(() -> embedder.embed(call)));
      }
      for (Future<?> future : pending) {
        future.get();
      }
      double rate = texts.size() / ((System.nanoTime() - start) / 1e9);
      String name = configuration + ", " + layout;
      System.out.printf(Locale.ROOT, "%-5s %-45s %8.1f sentences/s%n", label, name, rate);
      rates.put(name, rate);
    } finally {
      callers.shutdown();
    }
  }

  private static double measureLangchain4j(List<String> texts) {
    EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
    List<TextSegment> segments = texts.stream().map(TextSegment::from).collect(Collectors.toList());
    model.embedAll(segments.subList(0, Math.min(WARMUP_SENTENCES, segments.size())));
    long start = System.nanoTime();
    model.embedAll(segments);
    double rate = texts.size() / ((System.nanoTime() - start) / 1e9);
    System.out.printf(
        Locale.ROOT, "%-5s %-45s %8.1f sentences/s%n", "l4j", "embedAll (its defaults)", rate);
    return rate;
  }
}
