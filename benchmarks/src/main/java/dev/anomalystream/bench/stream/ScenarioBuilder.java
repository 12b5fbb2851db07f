package dev.anomalystream.bench.stream;

import dev.anomalystream.core.dataset.CorpusRecord;
import dev.anomalystream.core.dataset.EmotionLabel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds the scenario streams of the stream view's measurement from texts it is given (the caller
 * reads the corpora), so tests can run it on made-up texts. Normal traffic is a Poisson process:
 * exponential gaps at a steady rate, each message a normal text drawn with replacement. Every
 * scenario draws from its own generator, seeded from the seed and its name, so one scenario's
 * stream does not change when another's settings do.
 */
public final class ScenarioBuilder {
  public static final String NORMAL_24H = "normal-24h";
  public static final String BURST = "burst";
  public static final String RISE = "rise";
  public static final String MIX_SHIFT = "mix-shift";
  public static final String NEW_NORMAL = "new-normal";

  /**
   * @param normal labelled normal texts (records without a label are not used)
   * @param offTopicSources off-topic texts per source, for the rise (mixed: each injected message
   *     picks a source at random, so a small source is not drowned by a large one)
   * @param burstCandidates off-topic texts of one kind, for the burst
   * @param newSubject the subject that becomes part of the traffic in the new-normal scenario
   * @param singles the off-topic texts that appear singly throughout the new-normal scenario
   */
  public record Texts(
      List<CorpusRecord> normal,
      List<List<String>> offTopicSources,
      List<String> burstCandidates,
      Source newSubject,
      Source singles) {
    public Texts {
      normal = normal.stream().filter(r -> r.label() != null).toList();
      offTopicSources = offTopicSources.stream().map(List::copyOf).toList();
      burstCandidates = List.copyOf(burstCandidates);
    }
  }

  /**
   * Texts of one source and its name, which the scenario's ground truth records.
   *
   * @param name where the texts come from (a file), as {@code scenarios.json} should say it
   */
  public record Source(String name, List<String> texts) {
    public Source {
      texts = List.copyOf(texts);
    }
  }

  /**
   * The new-normal scenario: steady normal traffic; from {@code after} on, a new subject is a
   * steady share of it; single off-topic messages throughout.
   *
   * @param length the stream's length
   * @param after when the new subject starts, from the start
   * @param newSubjectShare the share of all messages from the new subject after {@code after}
   * @param singleShare the share of all messages that are single off-topic ones, all along
   */
  public record NewNormal(
      Duration length, Duration after, double newSubjectShare, double singleShare) {
    public NewNormal {
      if (after.isNegative() || after.compareTo(length) >= 0) {
        throw new IllegalArgumentException("the new subject must start inside the stream");
      }
      if (newSubjectShare < 0 || singleShare < 0 || newSubjectShare + singleShare > 1) {
        throw new IllegalArgumentException(
            "the new subject's and the single messages' shares must be at least 0 and add up to"
                + " at most 1");
      }
    }
  }

  /**
   * @param start the start of every stream's event time
   * @param messagesPerMinute the rate of normal traffic (of all traffic during a rise)
   * @param normalLength the length of the stream without a change
   * @param length the length of the streams with a change
   * @param changeAfter when the change comes, from the start
   * @param burstSize off-topic messages in the burst
   * @param burstLength the burst's messages all fall in {@code [change, change + burstLength)}
   * @param riseShare the share of messages that are off-topic after the change of the rise
   * @param shiftClasses the only classes of normal messages after the change of the mix shift
   * @param newNormal the new-normal scenario's length, change and shares
   */
  public record Settings(
      Instant start,
      double messagesPerMinute,
      Duration normalLength,
      Duration length,
      Duration changeAfter,
      int burstSize,
      Duration burstLength,
      double riseShare,
      Set<EmotionLabel> shiftClasses,
      NewNormal newNormal) {
    public Settings {
      if (!(messagesPerMinute > 0)) {
        throw new IllegalArgumentException("the message rate must be positive");
      }
      if (changeAfter.compareTo(length) >= 0
          || changeAfter.plus(burstLength).compareTo(length) > 0) {
        throw new IllegalArgumentException("the change and the burst must fall inside the stream");
      }
      if (riseShare < 0 || riseShare > 1) {
        throw new IllegalArgumentException("the rise's off-topic share must be within [0, 1]");
      }
      if (shiftClasses.isEmpty()) {
        throw new IllegalArgumentException("the mix shift needs at least one class");
      }
      shiftClasses = Set.copyOf(shiftClasses);
    }
  }

  private final Texts texts;
  private final Settings settings;
  private final long seed;

  public ScenarioBuilder(Texts texts, Settings settings, long seed) {
    if (texts.normal().isEmpty()) {
      throw new IllegalArgumentException("no labelled normal texts");
    }
    this.texts = texts;
    this.settings = settings;
    this.seed = seed;
  }

  /** The five scenarios, in the order {@code scenarios.json} lists them. */
  public List<Scenario> all() {
    return List.of(normal24h(), burst(), rise(), mixShift(), newNormal());
  }

  /** Steady normal traffic and nothing else: every drift window in it is a false one. */
  public Scenario normal24h() {
    Random random = random(NORMAL_24H);
    Instant end = settings.start().plus(settings.normalLength());
    Normal normal = new Normal(texts.normal());
    List<StreamMessage> messages = new ArrayList<>();
    for (Instant time : arrivals(random, settings.start(), end)) {
      messages.add(normal.next(random, time));
    }
    return new Scenario(
        NORMAL_24H,
        String.format(
            Locale.ROOT,
            "%s of normal traffic at %s messages/minute",
            span(settings.normalLength()),
            settings.messagesPerMinute()),
        settings.start(),
        end,
        null,
        List.of(),
        Map.of(),
        messages);
  }

  /** Normal traffic plus, from the change, a burst of off-topic texts of one kind. */
  public Scenario burst() {
    if (texts.burstCandidates().size() < settings.burstSize()) {
      throw new IllegalArgumentException(
          "the burst needs "
              + settings.burstSize()
              + " texts of its kind, there are "
              + texts.burstCandidates().size());
    }
    Random random = random(BURST);
    Instant end = settings.start().plus(settings.length());
    Instant change = settings.start().plus(settings.changeAfter());
    Normal normal = new Normal(texts.normal());
    List<StreamMessage> messages = new ArrayList<>();
    for (Instant time : arrivals(random, settings.start(), end)) {
      messages.add(normal.next(random, time));
    }
    List<String> chosen = new ArrayList<>(texts.burstCandidates());
    Collections.shuffle(chosen, random);
    long burstMillis = settings.burstLength().toMillis();
    List<Instant> times = new ArrayList<>();
    for (int i = 0; i < settings.burstSize(); i++) {
      times.add(change.plusMillis((long) (random.nextDouble() * burstMillis)));
    }
    Collections.sort(times);
    List<String> burstUids = new ArrayList<>();
    for (int i = 0; i < times.size(); i++) {
      String uid = String.format(Locale.ROOT, "b-%06d", i + 1);
      burstUids.add(uid);
      messages.add(new StreamMessage(uid, chosen.get(i), times.get(i), StreamMessage.OFF_TOPIC));
    }
    return new Scenario(
        BURST,
        String.format(
            Locale.ROOT,
            "%s of normal traffic at %s messages/minute; %d off-topic texts of one kind within %s"
                + " from %s on",
            span(settings.length()),
            settings.messagesPerMinute(),
            settings.burstSize(),
            span(settings.burstLength()),
            span(settings.changeAfter())),
        settings.start(),
        end,
        change,
        burstUids,
        Map.of(),
        sorted(messages));
  }

  /** Normal traffic; from the change on, a steady share of the messages is off-topic. */
  public Scenario rise() {
    Random random = random(RISE);
    Instant end = settings.start().plus(settings.length());
    Instant change = settings.start().plus(settings.changeAfter());
    Normal normal = new Normal(texts.normal());
    List<Cycle> sources =
        texts.offTopicSources().stream().filter(s -> !s.isEmpty()).map(Cycle::new).toList();
    if (sources.isEmpty() && settings.riseShare() > 0) {
      throw new IllegalArgumentException("the rise needs off-topic texts");
    }
    List<StreamMessage> messages = new ArrayList<>();
    int offTopic = 0;
    for (Instant time : arrivals(random, settings.start(), end)) {
      if (!time.isBefore(change) && random.nextDouble() < settings.riseShare()) {
        String text = sources.get(random.nextInt(sources.size())).next(random);
        messages.add(
            new StreamMessage(
                String.format(Locale.ROOT, "o-%06d", ++offTopic),
                text,
                time,
                StreamMessage.OFF_TOPIC));
      } else {
        messages.add(normal.next(random, time));
      }
    }
    return new Scenario(
        RISE,
        String.format(
            Locale.ROOT,
            "%s of traffic at %s messages/minute; from %s on, %.0f %% of it off-topic (%d sources"
                + " mixed)",
            span(settings.length()),
            settings.messagesPerMinute(),
            span(settings.changeAfter()),
            100 * settings.riseShare(),
            sources.size()),
        settings.start(),
        end,
        change,
        List.of(),
        Map.of(),
        messages);
  }

  /**
   * Normal traffic; from the change on, at the same rate, only messages of a few classes: a shift
   * in what people write about that flags no single message.
   */
  public Scenario mixShift() {
    List<CorpusRecord> shifted =
        texts.normal().stream().filter(r -> settings.shiftClasses().contains(r.label())).toList();
    if (shifted.isEmpty()) {
      throw new IllegalArgumentException("no normal texts of the classes " + classNames());
    }
    Random random = random(MIX_SHIFT);
    Instant end = settings.start().plus(settings.length());
    Instant change = settings.start().plus(settings.changeAfter());
    Normal before = new Normal(texts.normal());
    // one counter for both pools keeps the uids unique across the change
    Normal after = before.withPool(shifted);
    List<StreamMessage> messages = new ArrayList<>();
    for (Instant time : arrivals(random, settings.start(), end)) {
      messages.add((time.isBefore(change) ? before : after).next(random, time));
    }
    return new Scenario(
        MIX_SHIFT,
        String.format(
            Locale.ROOT,
            "%s of normal traffic at %s messages/minute; from %s on only %s",
            span(settings.length()),
            settings.messagesPerMinute(),
            span(settings.changeAfter()),
            classNames()),
        settings.start(),
        end,
        change,
        List.of(),
        Map.of(),
        messages);
  }

  /**
   * Normal traffic; from the change on, a new subject is a steady share of all messages and stays
   * (the detector should learn it as normal); single off-topic messages at a small share all along
   * (it should keep flagging those). Each arrival of the Poisson process is a single message with
   * the single share's probability, else a new-subject one with that share's after the change, else
   * a normal one: the shares are of all traffic, whose rate stays {@code messagesPerMinute}.
   */
  public Scenario newNormal() {
    NewNormal shape = settings.newNormal();
    List<String> subjectTexts = texts.newSubject().texts();
    List<String> singleTexts = texts.singles().texts();
    if (subjectTexts.isEmpty() && shape.newSubjectShare() > 0
        || singleTexts.isEmpty() && shape.singleShare() > 0) {
      throw new IllegalArgumentException(
          "the new-normal scenario needs new-subject and single texts");
    }
    Random random = random(NEW_NORMAL);
    Instant end = settings.start().plus(shape.length());
    Instant change = settings.start().plus(shape.after());
    Normal normal = new Normal(texts.normal());
    Cycle subject = new Cycle(subjectTexts);
    Cycle singles = new Cycle(singleTexts);
    List<StreamMessage> messages = new ArrayList<>();
    int subjectCount = 0;
    int singleCount = 0;
    boolean previousSingle = false;
    for (Instant time : arrivals(random, settings.start(), end)) {
      double draw = random.nextDouble();
      // never two in a row: a single message must stay single, not the start of a pair
      if (draw < shape.singleShare() && !previousSingle) {
        messages.add(
            new StreamMessage(
                String.format(Locale.ROOT, "q-%06d", ++singleCount),
                singles.next(random),
                time,
                StreamMessage.OFF_TOPIC));
        previousSingle = true;
        continue;
      }
      previousSingle = false;
      if (!time.isBefore(change) && draw < shape.singleShare() + shape.newSubjectShare()) {
        messages.add(
            new StreamMessage(
                String.format(Locale.ROOT, "s-%06d", ++subjectCount),
                subject.next(random),
                time,
                StreamMessage.NEW_SUBJECT));
      } else {
        messages.add(normal.next(random, time));
      }
    }
    return new Scenario(
        NEW_NORMAL,
        String.format(
            Locale.ROOT,
            "%s of traffic at %s messages/minute; from %s on, %.0f %% of it a new subject (%s)"
                + " that stays; %.1f %% single off-topic messages (%s) throughout",
            span(shape.length()),
            settings.messagesPerMinute(),
            span(shape.after()),
            100 * shape.newSubjectShare(),
            StreamMessage.NEW_SUBJECT,
            100 * shape.singleShare(),
            StreamMessage.OFF_TOPIC),
        settings.start(),
        end,
        change,
        List.of(),
        Map.of(
            StreamMessage.NEW_SUBJECT,
            texts.newSubject().name(),
            StreamMessage.OFF_TOPIC,
            texts.singles().name()),
        messages);
  }

  private String classNames() {
    return settings.shiftClasses().stream()
        .map(EmotionLabel::label)
        .sorted()
        .collect(Collectors.joining(" and "));
  }

  /** {@code 3 h}, {@code 1 h 30 min}, {@code 5 min}: for the descriptions. */
  static String span(Duration duration) {
    long hours = duration.toHours();
    long minutes = duration.toMinutesPart();
    if (hours == 0) {
      return minutes + " min";
    }
    return minutes == 0 ? hours + " h" : hours + " h " + minutes + " min";
  }

  private Random random(String scenario) {
    return new Random(seed * 31 + scenario.hashCode());
  }

  /** Poisson arrivals in {@code [from, to)}, millisecond resolution. */
  private List<Instant> arrivals(Random random, Instant from, Instant to) {
    double perMilli = settings.messagesPerMinute() / 60_000.0;
    List<Instant> times = new ArrayList<>();
    double offset = 0;
    long span = Duration.between(from, to).toMillis();
    while (true) {
      offset += -Math.log(1 - random.nextDouble()) / perMilli;
      if (offset >= span) {
        return times;
      }
      times.add(from.plusMillis((long) offset));
    }
  }

  private static List<StreamMessage> sorted(List<StreamMessage> messages) {
    List<StreamMessage> sorted = new ArrayList<>(messages);
    sorted.sort(Comparator.comparing(StreamMessage::eventTime).thenComparing(StreamMessage::uid));
    return sorted;
  }

  /** Normal messages drawn with replacement from a pool, numbered {@code n-000001} on. */
  private static final class Normal {
    private final List<CorpusRecord> pool;
    private final int[] counter;

    Normal(List<CorpusRecord> pool) {
      this(pool, new int[1]);
    }

    private Normal(List<CorpusRecord> pool, int[] counter) {
      this.pool = pool;
      this.counter = counter;
    }

    Normal withPool(List<CorpusRecord> other) {
      return new Normal(other, counter);
    }

    StreamMessage next(Random random, Instant time) {
      CorpusRecord record = pool.get(random.nextInt(pool.size()));
      return new StreamMessage(
          String.format(Locale.ROOT, "n-%06d", ++counter[0]),
          record.text(),
          time,
          record.label().label());
    }
  }

  /**
   * Off-topic texts without replacement until the source is used up, then reshuffled: a rise
   * repeats a text only when it outlasts its source.
   */
  private static final class Cycle {
    private final List<String> texts;
    private int next;

    Cycle(List<String> texts) {
      this.texts = new ArrayList<>(texts);
      this.next = texts.size();
    }

    String next(Random random) {
      if (next == texts.size()) {
        Collections.shuffle(texts, random);
        next = 0;
      }
      return texts.get(next++);
    }
  }
}
