package dev.anomalystream.core.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

class FailureTest {
  private static final Instant TIME = Instant.parse("2026-11-30T04:00:00.123Z");

  private static Failure.Builder decodeFailure() {
    return Failure.builder()
        .setStage("decode")
        .setReason("not UTF-8")
        .setPayload(new byte[] {(byte) 0xff, 0x41})
        .setAttributes(Map.of("uid", "u-1", "label", "joy"))
        .setTime(TIME);
  }

  @Test
  void isASchemaTypeWhoseCoderKeepsEveryField() throws Exception {
    Schema schema = SchemaRegistry.createDefault().getSchema(Failure.class);
    assertTrue(schema.hasField("exceptionClass"), schema.toString());
    assertTrue(schema.getField("stackTrace").getType().getNullable());
    Coder<Failure> coder = SchemaRegistry.createDefault().getSchemaCoder(Failure.class);

    Failure withException =
        decodeFailure().setException(new IllegalStateException("bad model")).build();
    assertEquals(withException, CoderUtils.clone(coder, withException));
    Failure decoded = CoderUtils.clone(coder, decodeFailure().build());
    assertEquals(decodeFailure().build(), decoded);
    // equal failures hash alike after decoding, so sets and PAssert compare them correctly
    assertEquals(decodeFailure().build().hashCode(), decoded.hashCode());
  }

  @Test
  void aPipelineInfersTheSchemaCoder() {
    PCollection<Failure> failures = Pipeline.create().apply(Create.of(decodeFailure().build()));
    assertInstanceOf(SchemaCoder.class, failures.getCoder());
  }

  @Test
  void keepsTheExceptionClassAndACappedStackTrace() {
    Failure failure =
        decodeFailure().setException(new IOException("disk", deepCause(2_000))).build();

    assertEquals("java.io.IOException", failure.getExceptionClass());
    assertTrue(failure.getStackTrace().startsWith("java.io.IOException: disk"));
    assertEquals(Failure.MAX_STACK_TRACE_CHARS, failure.getStackTrace().length());
    assertTrue(failure.getStackTrace().endsWith(Failure.TRUNCATED));
  }

  @Test
  void aFailureWithoutExceptionHasNullExceptionColumns() {
    ObjectNode row = FailureJson.toJson(decodeFailure().build());

    assertTrue(row.get("exception_class").isNull());
    assertTrue(row.get("stack_trace").isNull());
    assertEquals("base64", row.get("payload_encoding").asText());
    assertEquals("2026-11-30T04:00:00.123Z", row.get("failure_time").asText());
    // attributes sorted by key
    assertEquals("label", row.get("attributes").get(0).get("key").asText());
  }

  @Test
  void theJsonRowCarriesTheException() {
    ObjectNode row =
        FailureJson.toJson(decodeFailure().setException(new ArithmeticException("x")).build());

    assertEquals("java.lang.ArithmeticException", row.get("exception_class").asText());
    assertTrue(row.get("stack_trace").asText().contains("FailureTest"));
  }

  private static Throwable deepCause(int depth) {
    return depth == 0 ? new RuntimeException("root") : new RuntimeException(deepCause(depth - 1));
  }

  @Test
  void noExceptionMeansNoTrace() {
    Failure failure = Failure.of("read", "blank line", "");
    assertNull(failure.getExceptionClass());
    assertNull(failure.getStackTrace());
  }
}
