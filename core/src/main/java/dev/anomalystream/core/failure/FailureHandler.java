package dev.anomalystream.core.failure;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one dead-letter sink of a pipeline, in the shape of Beam's {@link ErrorHandler}: each stage's
 * failure collection is added to it, and closing it (once, after the last stage) flattens them,
 * counts them per stage ({@code dead_letters} and {@code dead_letters_<stage>}, namespace this
 * class) and hands them to the sink. Use it in try-with-resources around the stages.
 *
 * <p>Why not Beam's own {@code Pipeline.registerBadRecordErrorHandler} with {@code BadRecord}: a
 * {@code BadRecord} keeps the record as a JSON string plus coder-encoded bytes and the failure as a
 * description; it has no stage, no attributes and no raw payload, which are the error table's
 * columns. So the handler keeps {@link Failure} and only borrows Beam's interface; Beam's pipeline
 * checks only handlers it registered itself, so closing is this class's own contract (and a second
 * close, or adding after it, fails).
 */
public final class FailureHandler implements ErrorHandler<Failure, PDone> {
  private final String sinkName;
  private final PTransform<PCollection<Failure>, PDone> sink;
  private final List<PCollection<Failure>> failures = new ArrayList<>();
  private @Nullable PDone output;

  private FailureHandler(String sinkName, PTransform<PCollection<Failure>, PDone> sink) {
    this.sinkName = sinkName;
    this.sink = sink;
  }

  /** A handler whose failures {@code sink} writes, applied under {@code sinkName} on close. */
  public static FailureHandler writingTo(
      String sinkName, PTransform<PCollection<Failure>, PDone> sink) {
    return new FailureHandler(sinkName, sink);
  }

  @Override
  public void addErrorCollection(PCollection<Failure> errorCollection) {
    if (isClosed()) {
      throw new IllegalStateException("failures added after the handler was closed");
    }
    // Flink unions only streams of one coder (the DirectRunner does not check): a Failure
    // collection whose coder came from the plain registry (SerializableCoder) breaks the job there
    if (!(errorCollection.getCoder() instanceof SchemaCoder)) {
      throw new IllegalArgumentException(
          errorCollection.getName()
              + " has coder "
              + errorCollection.getCoder()
              + ": failures must use Failure's schema coder (SchemaCoders.of(Failure.class))");
    }
    failures.add(errorCollection);
  }

  @Override
  public boolean isClosed() {
    return output != null;
  }

  @Override
  public @Nullable PDone getOutput() {
    if (!isClosed()) {
      throw new IllegalStateException("the failure handler has no output until it is closed");
    }
    return output;
  }

  /** Wires every added collection into the sink; a pipeline with no failure output is a bug. */
  @Override
  public void close() {
    if (isClosed()) {
      throw new IllegalStateException("the failure handler was closed already");
    }
    if (failures.isEmpty()) {
      throw new IllegalStateException("no stage added its failures to " + sinkName);
    }
    output =
        PCollectionList.of(failures)
            .apply("AllFailures", Flatten.pCollections())
            .apply("CountFailuresByStage", ParDo.of(new CountByStageFn()))
            .apply(sinkName, sink);
  }

  private static final class CountByStageFn extends DoFn<Failure, Failure> {
    private final Counter total = Metrics.counter(FailureHandler.class, "dead_letters");

    @ProcessElement
    public void process(@Element Failure failure, OutputReceiver<Failure> out) {
      total.inc();
      Metrics.counter(FailureHandler.class, "dead_letters_" + failure.getStage()).inc();
      out.output(failure);
    }
  }
}
