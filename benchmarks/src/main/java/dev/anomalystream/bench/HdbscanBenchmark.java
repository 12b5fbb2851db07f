package dev.anomalystream.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.anomalystream.core.cluster.Hdbscan;
import dev.anomalystream.core.cluster.HdbscanModel;
import dev.anomalystream.core.cluster.HdbscanParams;
import dev.anomalystream.core.cluster.HdbscanResult;
import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import dev.anomalystream.core.simd.Simd;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Fit time of {@link Hdbscan} for 2,000 / 8,000 / 16,000 × 384 unit vectors, Tribuo's fit time at
 * 8,000 in the same run, and approximate-predict throughput against the 16,000-point model. Each
 * fit also reports the process CPU time it used: on a shared machine wall time depends on the other
 * load, CPU time much less. Last line: one JSON object.
 */
public final class HdbscanBenchmark {
  private static final int DIMENSION = 384;
  private static final HdbscanParams PARAMS = new HdbscanParams(50, 10);
  private static final int QUERY_COUNT = 4000;

  private HdbscanBenchmark() {}

  public static void main(String[] args) {
    System.out.printf(
        "HDBSCAN benchmark: %d-d unit vectors (8 gaussian directions, spread 0.03, 5%% random),"
            + " %s, %d cores%n",
        DIMENSION, PARAMS, Runtime.getRuntime().availableProcessors());
    warmUp();
    double fit2000 = timeFit(2000).seconds;
    Timed<HdbscanResult> fit8000 = timeFit(8000);
    Timed<HdbscanResult> fit16000 = timeFit(16000);

    float[][] tribuoData = data(8000);
    long start = System.nanoTime();
    long cpuStart = processCpuNanos();
    int tribuoClusters =
        (int)
            TribuoHdbscan.fitLabels(tribuoData, PARAMS.minClusterSize(), PARAMS.minSamples())
                .stream()
                .filter(label -> label > 0)
                .distinct()
                .count();
    double tribuoSeconds = (System.nanoTime() - start) / 1e9;
    double tribuoCpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "tribuo fit 8000: %.2f s (cpu %.2f s), %d clusters%n",
        tribuoSeconds,
        tribuoCpuSeconds,
        tribuoClusters);

    HdbscanModel model = fit16000.value.model();
    float[][] queries = SyntheticEmbeddings.generate(QUERY_COUNT, DIMENSION, 8, 0.03, 0.05, 99);
    model.approximatePredict(queries); // warm-up
    start = System.nanoTime();
    cpuStart = processCpuNanos();
    model.approximatePredict(queries);
    double predictPerSecond = QUERY_COUNT / ((System.nanoTime() - start) / 1e9);
    double predictPerCpuSecond = QUERY_COUNT / ((processCpuNanos() - cpuStart) / 1e9);
    System.out.printf(
        Locale.ROOT,
        "approximate predict: %d queries against 16000 points, %.0f per second"
            + " (%.0f per CPU-second)%n",
        QUERY_COUNT,
        predictPerSecond,
        predictPerCpuSecond);

    System.out.printf(
        Locale.ROOT,
        "{\"fit_seconds_2000\": %.3f, \"fit_seconds_8000\": %.3f, \"fit_seconds_16000\": %.3f,"
            + " \"tribuo_fit_seconds_8000\": %.3f, \"predict_per_second\": %.0f,"
            + " \"fit_cpu_seconds_8000\": %.3f, \"fit_cpu_seconds_16000\": %.3f,"
            + " \"tribuo_fit_cpu_seconds_8000\": %.3f, \"predict_per_cpu_second\": %.0f,"
            + " \"vector_api\": %b}%n",
        fit2000,
        fit8000.seconds,
        fit16000.seconds,
        tribuoSeconds,
        predictPerSecond,
        fit8000.cpuSeconds,
        fit16000.cpuSeconds,
        tribuoCpuSeconds,
        predictPerCpuSecond,
        Simd.AVAILABLE);
  }

  private record Timed<T>(T value, double seconds, double cpuSeconds) {}

  private static long processCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static float[][] data(int count) {
    // the same seed for every size: the smaller sets are prefixes of the larger
    return SyntheticEmbeddings.generate(count, DIMENSION, 8, 0.03, 0.05, 42);
  }

  private static void warmUp() {
    Hdbscan.fit(data(1500), PARAMS);
  }

  private static Timed<HdbscanResult> timeFit(int count) {
    float[][] points = data(count);
    long start = System.nanoTime();
    long cpuStart = processCpuNanos();
    HdbscanResult result = Hdbscan.fit(points, PARAMS);
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "fit %d: %.2f s (cpu %.2f s), %d clusters, noise %.1f%%%n",
        count,
        seconds,
        cpuSeconds,
        result.clusterCount(),
        100 * result.noiseFraction());
    return new Timed<>(result, seconds, cpuSeconds);
  }
}
