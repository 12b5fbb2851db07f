package dev.anomalystream.detect;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;

/**
 * Feeds per-window items (one per window firing) to a step that keeps state across windows, in the
 * order the windows end, under one key. Neither a batch run nor late panes deliver windows in that
 * order: each item waits in a buffer until the watermark passes its window's end (items carry their
 * window's last millisecond as timestamp), then the buffered items go through in order.
 *
 * @param <T> the per-window item
 * @param <S> the step's state, kept in Beam state (checkpointed with the job)
 * @param <O> what the step emits
 */
final class InWindowOrder<T extends Serializable, S extends Serializable, O>
    extends DoFn<KV<String, T>, O> {

  /** What happens to each window's item, in window order. */
  interface Step<T, S, O> extends Serializable {
    S initial();

    /** Takes the next window's item, updating {@code state} in place; returns what to emit. */
    List<O> next(S state, T item);
  }

  @StateId("state")
  private final StateSpec<ValueState<S>> stateSpec;

  @StateId("waiting")
  private final StateSpec<BagState<T>> waitingSpec;

  @StateId("nextFlush")
  private final StateSpec<ValueState<Long>> nextFlushSpec = StateSpecs.value(VarLongCoder.of());

  @TimerId("flush")
  private final TimerSpec flushSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  private final SerializableFunction<T, Instant> windowEnd;
  private final Step<T, S, O> step;

  InWindowOrder(
      Class<T> itemClass,
      Class<S> stateClass,
      SerializableFunction<T, Instant> windowEnd,
      Step<T, S, O> step) {
    this.stateSpec = StateSpecs.value(SerializableCoder.of(stateClass));
    this.waitingSpec = StateSpecs.bag(SerializableCoder.of(itemClass));
    this.windowEnd = windowEnd;
    this.step = step;
  }

  @ProcessElement
  public void process(
      @Element KV<String, T> element,
      @Timestamp org.joda.time.Instant timestamp,
      @StateId("waiting") BagState<T> waiting,
      @StateId("nextFlush") ValueState<Long> nextFlush,
      @TimerId("flush") Timer flush) {
    waiting.add(element.getValue());
    Long scheduled = nextFlush.read();
    if (scheduled == null || timestamp.getMillis() < scheduled) {
      flush.set(timestamp);
      nextFlush.write(timestamp.getMillis());
    }
  }

  @OnTimer("flush")
  public void onFlush(
      OnTimerContext context,
      @StateId("state") ValueState<S> stateCell,
      @StateId("waiting") BagState<T> waiting,
      @StateId("nextFlush") ValueState<Long> nextFlush,
      @TimerId("flush") Timer flush) {
    long now = context.timestamp().getMillis();
    List<T> due = new ArrayList<>();
    List<T> later = new ArrayList<>();
    for (T item : waiting.read()) {
      (lastMillisOf(item) <= now ? due : later).add(item);
    }
    due.sort(Comparator.comparing(windowEnd::apply));
    S state = stateCell.read() == null ? step.initial() : stateCell.read();
    for (T item : due) {
      step.next(state, item).forEach(context::output);
    }
    stateCell.write(state);
    waiting.clear();
    later.forEach(waiting::add);
    if (later.isEmpty()) {
      nextFlush.clear();
    } else {
      long next = later.stream().mapToLong(this::lastMillisOf).min().getAsLong();
      flush.set(new org.joda.time.Instant(next));
      nextFlush.write(next);
    }
  }

  /** The item's timestamp: its window's last millisecond. */
  private long lastMillisOf(T item) {
    return windowEnd.apply(item).toEpochMilli() - 1;
  }
}
