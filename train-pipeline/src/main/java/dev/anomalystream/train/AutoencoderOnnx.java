package dev.anomalystream.train;

import ai.onnx.proto.OnnxMl;
import dev.anomalystream.core.model.Autoencoder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Writes a stack of dense layers as an ONNX graph with Tribuo's ONNX helpers: one {@code Gemm}
 * ({@code x W^T + b}, the weights as initializers) per layer, then its activation; input {@value
 * Autoencoder#INPUT} and output {@value Autoencoder#OUTPUT}, both [rows, d].
 */
final class AutoencoderOnnx {
  /**
   * One dense layer as the training engine holds it.
   *
   * @param outputs rows of {@code weight}
   * @param inputs columns of {@code weight}
   * @param weight row-major [outputs, inputs]
   * @param bias [outputs]
   * @param activation "relu", "tanh", or null for none
   */
  record Dense(int outputs, int inputs, float[] weight, float[] bias, String activation) {
    Dense {
      if (weight.length != outputs * inputs || bias.length != outputs) {
        throw new IllegalArgumentException(
            "a dense layer of "
                + inputs
                + " -> "
                + outputs
                + " needs "
                + outputs * inputs
                + " weights and "
                + outputs
                + " biases, got "
                + weight.length
                + " and "
                + bias.length);
      }
    }
  }

  /**
   * The activations Tribuo's operator list lacks (it has Sigmoid and Softmax only), at the opset
   * Tribuo writes (13).
   */
  private enum Activation implements ONNXOperator {
    RELU("Relu"),
    TANH("Tanh");

    private final String opName;

    Activation(String opName) {
      this.opName = opName;
    }

    static Activation of(String name) {
      return switch (name) {
        case "relu" -> RELU;
        case "tanh" -> TANH;
        default -> throw new IllegalArgumentException("no ONNX activation " + name);
      };
    }

    @Override
    public String getOpName() {
      return opName;
    }

    @Override
    public int getNumInputs() {
      return 1;
    }

    @Override
    public int getNumOptionalInputs() {
      return 0;
    }

    @Override
    public int getNumOutputs() {
      return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
      return Map.of();
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
      return Set.of();
    }

    @Override
    public int getOpVersion() {
      return ONNXOperators.getOpsetVersion();
    }

    @Override
    public String getOpDomain() {
      return "ai.onnx";
    }
  }

  /** ONNX IR version 8 (ONNX 1.10): what opset 13 needs, and loadable by any ONNX Runtime 1.10+. */
  private static final long IR_VERSION = 8;

  private AutoencoderOnnx() {}

  /** The serialized ONNX model of {@code layers}, applied in order. */
  static byte[] write(List<Dense> layers) {
    ONNXContext context = new ONNXContext();
    context.setName("autoencoder");
    ONNXRef<?> current = context.floatInput(Autoencoder.INPUT, layers.get(0).inputs());
    for (int i = 0; i < layers.size(); i++) {
      Dense layer = layers.get(i);
      ONNXInitializer weight =
          context.floatTensor(
              "weight" + i, List.of(layer.outputs(), layer.inputs()), b -> b.put(layer.weight()));
      ONNXInitializer bias = context.array("bias" + i, layer.bias());
      current =
          context.operation(
              ONNXOperators.GEMM,
              List.<ONNXRef<?>>of(current, weight, bias),
              "dense" + i,
              Map.<String, Object>of("transB", 1));
      if (layer.activation() != null) {
        current = current.apply(Activation.of(layer.activation()));
      }
    }
    current.assignTo(
        context.floatOutput(Autoencoder.OUTPUT, layers.get(layers.size() - 1).outputs()));
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("anomaly-stream")
        .addOpsetImport(ONNXOperators.getOpsetProto())
        .setGraph(context.buildGraph())
        .build()
        .toByteArray();
  }
}
