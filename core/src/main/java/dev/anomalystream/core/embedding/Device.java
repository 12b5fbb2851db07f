package dev.anomalystream.core.embedding;

import java.util.Locale;

/**
 * Where ONNX Runtime runs the embedding model. CUDA needs the {@code onnxruntime_gpu} jar (the
 * {@code -Pgpu} build), an NVIDIA driver and the CUDA and cuDNN libraries on the machine; where any
 * of them is missing the embedder runs on the CPU and says so (see {@link
 * SentenceEmbedder#device}).
 */
public enum Device {
  CPU,
  CUDA;

  /** The value of {@code --device}: {@code cpu} or {@code cuda}, in any case. */
  public static Device parse(String value) {
    for (Device device : values()) {
      if (device.name().equalsIgnoreCase(value.trim())) {
        return device;
      }
    }
    throw new IllegalArgumentException("--device must be cpu or cuda, got '" + value + "'");
  }

  /** As written on the command line. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
