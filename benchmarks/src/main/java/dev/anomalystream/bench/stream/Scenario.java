package dev.anomalystream.bench.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One scenario stream and its ground truth, which {@code scenarios.json} records so the scorer
 * never has to infer what happened from the stream itself.
 *
 * @param name the scenario's name; its stream file is {@code <name>.jsonl}
 * @param description what the stream holds, in words
 * @param start the start of the stream's event time
 * @param end the end of the stream's event time (exclusive)
 * @param change when the traffic changes, or null for a stream with no change
 * @param burstUids the injected burst's uids, in time order; empty without a burst
 * @param sources where the messages of each non-normal label come from (label to source), for a
 *     scenario that mixes several; empty when {@code scenarios.json}'s top-level fields say it
 * @param messages the stream, sorted by event time
 */
public record Scenario(
    String name,
    String description,
    Instant start,
    Instant end,
    Instant change,
    List<String> burstUids,
    Map<String, String> sources,
    List<StreamMessage> messages) {
  static final String NAME = "name";
  static final String FILE = "file";
  static final String DESCRIPTION = "description";
  static final String START = "start";
  static final String END = "end";
  static final String CHANGE = "change";
  static final String BURST_UIDS = "burst_uids";
  static final String MESSAGES = "messages";
  static final String OFF_TOPIC = "off_topic";
  static final String SOURCES = "sources";
  static final String LABELS = "labels";

  public Scenario {
    burstUids = List.copyOf(burstUids);
    // sorted, so scenarios.json lists them the same way every time
    sources = Collections.unmodifiableMap(new TreeMap<>(sources));
    messages = List.copyOf(messages);
  }

  public String fileName() {
    return name + ".jsonl";
  }

  /** The entry of {@code scenarios.json}: everything but the messages, plus their counts. */
  public ObjectNode describe() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put(NAME, name);
    node.put(FILE, fileName());
    node.put(DESCRIPTION, description);
    node.put(START, start.toString());
    node.put(END, end.toString());
    node.put(CHANGE, change == null ? null : change.toString());
    node.put(MESSAGES, messages.size());
    node.put(OFF_TOPIC, messages.stream().filter(StreamMessage::offTopic).count());
    burstUids.forEach(node.putArray(BURST_UIDS)::add);
    if (!sources.isEmpty()) {
      ObjectNode bySource = node.putObject(SOURCES);
      sources.forEach(bySource::put);
      ObjectNode byLabel = node.putObject(LABELS);
      messages.stream()
          .collect(Collectors.groupingBy(StreamMessage::label, TreeMap::new, Collectors.counting()))
          .forEach(byLabel::put);
    }
    return node;
  }

  /**
   * The ground truth of a {@code scenarios.json} entry, read back by the scorer.
   *
   * @param file the stream file's name, relative to {@code scenarios.json}
   */
  public record Truth(
      String name,
      String file,
      Instant start,
      Instant end,
      Instant change,
      List<String> burstUids) {
    public static Truth of(JsonNode entry) {
      JsonNode change = entry.get(CHANGE);
      List<String> burst = new ArrayList<>();
      entry.path(BURST_UIDS).forEach(uid -> burst.add(uid.asText()));
      return new Truth(
          entry.get(NAME).asText(),
          entry.get(FILE).asText(),
          Instant.parse(entry.get(START).asText()),
          Instant.parse(entry.get(END).asText()),
          change == null || change.isNull() ? null : Instant.parse(change.asText()),
          List.copyOf(burst));
    }
  }
}
