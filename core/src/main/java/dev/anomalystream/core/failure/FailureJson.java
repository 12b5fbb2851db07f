package dev.anomalystream.core.failure;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.json.Json;
import java.util.TreeMap;

/**
 * The one serialised form of a {@link Failure}: a flat JSON object whose fields are the columns of
 * the error table ({@code config/bigquery/errors_schema.json}), so local dead-letter files load
 * into BigQuery as they are.
 */
public final class FailureJson {

  private FailureJson() {}

  public static ObjectNode toJson(Failure failure) {
    ObjectNode row = Json.MAPPER.createObjectNode();
    row.put("stage", failure.getStage());
    row.put("reason", failure.getReason());
    boolean utf8 = failure.payloadIsUtf8();
    row.put("payload", failure.payloadAsText());
    row.put("payload_encoding", utf8 ? "utf-8" : "base64");
    // key/value records rather than an object: the same row then loads into a fixed BigQuery schema
    // sorted by key, so equal failures give equal lines
    ArrayNode attributes = row.putArray("attributes");
    new TreeMap<>(failure.getAttributes())
        .forEach((k, v) -> attributes.addObject().put("key", k).put("value", v));
    row.put("failure_time", failure.time().toString());
    row.put("exception_class", failure.getExceptionClass());
    row.put("stack_trace", failure.getStackTrace());
    return row;
  }

  public static String toJsonLine(Failure failure) {
    return toJson(failure).toString();
  }
}
