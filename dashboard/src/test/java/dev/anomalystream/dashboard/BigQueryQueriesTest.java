package dev.anomalystream.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.services.bigquery.model.TableReference;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.anomalystream.core.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The queries the dashboard sends BigQuery, and how it reads the answers, against a local stand-in
 * of BigQuery's REST API that answers as Google documents {@code jobs.query}, {@code
 * jobs.getQueryResults} and {@code tables.get}: a query still running, then its rows in two pages.
 */
class BigQueryQueriesTest {
  private static final TableReference TABLE =
      new TableReference().setProjectId("p").setDatasetId("d").setTableId("detections");

  @Test
  void theSqlIsStandardWithTheTimeBoundAsANamedTimestampParameter() {
    PolledTable detections = PolledTable.detections(TABLE, Duration.ofSeconds(30));
    assertEquals(
        "SELECT TO_JSON_STRING(t) AS row_json FROM (SELECT * EXCEPT (embedding) FROM"
            + " `p.d.detections`) AS t WHERE t.processed_time > @since"
            + " ORDER BY t.processed_time DESC LIMIT 500",
        BigQueryQueries.sql(detections, 500));
    assertEquals(
        "SELECT TO_JSON_STRING(t) AS row_json FROM `p.d.detections_windows` AS t"
            + " WHERE t.window_end > @since ORDER BY t.window_end DESC LIMIT 7",
        BigQueryQueries.sql(PolledTable.windows(TABLE), 7));
    assertTrue(
        BigQueryQueries.sql(PolledTable.topics(TABLE), 7)
            .startsWith(
                "SELECT TO_JSON_STRING(t) AS row_json FROM (SELECT * EXCEPT (uids) FROM"
                    + " `p.d.detections_topics`) AS t WHERE t.last_window_end > @since"));
  }

  @Test
  void readsEveryPageOfAQueryThatWasStillRunning() throws Exception {
    List<String> requests = new CopyOnWriteArrayList<>();
    List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    String row1 = "{\"uid\":\"a\",\"processed_time\":\"2026-11-30T11:59:50.123456Z\"}";
    String row2 = "{\"uid\":\"b\",\"processed_time\":\"2026-11-30T11:59:40Z\"}";
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String query = String.valueOf(exchange.getRequestURI().getQuery());
          requests.add(exchange.getRequestMethod() + " " + path + "?" + query);
          if (path.equals("/bigquery/v2/projects/jobs-p/queries")) {
            // Google's client compresses request bodies
            boolean gzip = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"));
            bodies.add(
                Json.MAPPER.readTree(
                    gzip
                        ? new GZIPInputStream(exchange.getRequestBody())
                        : exchange.getRequestBody()));
            answer(
                exchange,
                200,
                "{\"jobComplete\":false,\"jobReference\":"
                    + "{\"projectId\":\"jobs-p\",\"jobId\":\"job-1\",\"location\":\"EU\"}}");
          } else if (path.equals("/bigquery/v2/projects/jobs-p/queries/job-1")
              && !query.contains("pageToken")) {
            answer(
                exchange,
                200,
                "{\"jobComplete\":true,\"pageToken\":\"page-2\",\"rows\":[{\"f\":[{\"v\":"
                    + Json.MAPPER.writeValueAsString(row1)
                    + "}]}]}");
          } else if (path.equals("/bigquery/v2/projects/jobs-p/queries/job-1")) {
            answer(
                exchange,
                200,
                "{\"jobComplete\":true,\"rows\":[{\"f\":[{\"v\":"
                    + Json.MAPPER.writeValueAsString(row2)
                    + "}]}]}");
          } else if (path.equals("/bigquery/v2/projects/p/datasets/d/tables/detections")) {
            answer(exchange, 200, "{\"id\":\"p:d.detections\"}");
          } else if (path.startsWith("/bigquery/v2/projects/p/datasets/d/tables/")) {
            answer(exchange, 404, "{\"error\":{\"code\":404,\"message\":\"Not found: Table\"}}");
          } else {
            answer(exchange, 403, "{\"error\":{\"code\":403,\"message\":\"Access Denied\"}}");
          }
        });
    server.start();
    try {
      BigQueryQueries bigQuery =
          BigQueryQueries.connect(
              "http://127.0.0.1:" + server.getAddress().getPort(), null, "jobs-p");
      assertTrue(bigQuery.exists(TABLE));
      assertFalse(bigQuery.exists(PolledTable.windows(TABLE).table()));

      List<String> rows =
          bigQuery.newestAfter(
              PolledTable.detections(TABLE, Duration.ofSeconds(30)),
              Instant.parse("2026-11-30T11:59:30.5Z"),
              500);
      assertEquals(List.of(row1, row2), rows);
      JsonNode body = bodies.get(0);
      assertEquals(
          BigQueryQueries.sql(PolledTable.detections(TABLE, Duration.ZERO), 500),
          body.get("query").asText());
      assertFalse(body.get("useLegacySql").asBoolean(true));
      assertEquals("NAMED", body.get("parameterMode").asText());
      JsonNode since = body.get("queryParameters").get(0);
      assertEquals("since", since.get("name").asText());
      assertEquals("TIMESTAMP", since.get("parameterType").get("type").asText());
      assertEquals(
          "2026-11-30 11:59:30.500000+00:00", since.get("parameterValue").get("value").asText());
      // results asked for in the job's location, then the second page by its token
      assertTrue(requests.get(3).contains("location=EU"), requests.toString());
      assertTrue(requests.get(4).contains("pageToken=page-2"), requests.toString());

      BigQueryQueries elsewhere =
          BigQueryQueries.connect(
              "http://127.0.0.1:" + server.getAddress().getPort(), null, "not-mine");
      assertThrows(
          IOException.class,
          () ->
              elsewhere.newestAfter(
                  PolledTable.detections(TABLE, Duration.ZERO), Instant.EPOCH, 10));
    } finally {
      server.stop(0);
    }
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
