package dev.anomalystream.core.detection;

import static dev.anomalystream.core.detection.DetectionSchemaTest.detectionCoder;
import static dev.anomalystream.core.detection.DetectionSchemaTest.fullDetection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/**
 * What a running streaming job relies on when a later version of {@link Detection} adds a field:
 * elements already in flight (encoded by the old coder, held in state or in a shuffle) must decode
 * with the new one. The later version is simulated by its schema.
 */
class DetectionSchemaEvolutionTest {
  static final Field NEW_NULLABLE = Field.nullable("language", FieldType.STRING);

  static byte[] encodedByTodaysCoder() throws Exception {
    return CoderUtils.encodeToByteArray(detectionCoder(), fullDetection());
  }

  static Row todaysRow() throws Exception {
    SchemaCoder<Detection> coder = detectionCoder();
    return coder.getToRowFunction().apply(fullDetection());
  }

  @Test
  void aNullableFieldWithTheNextNumberDecodesAsNullFromOlderElements() throws Exception {
    Schema today = detectionCoder().getSchema();
    Schema next = Schema.builder().addFields(today.getFields()).addField(NEW_NULLABLE).build();

    Row decoded = CoderUtils.decodeFromByteArray(RowCoder.of(next), encodedByTodaysCoder());

    assertNull(decoded.getValue("language"));
    Row before = todaysRow();
    for (String name : today.getFieldNames()) {
      Object expected = before.getValue(name);
      assertEquals(expected, decoded.getValue(name), name);
    }
  }

  @Test
  void aNullableFieldAddedToTheNestedMessageDecodesAsNullToo() throws Exception {
    Schema today = detectionCoder().getSchema();
    Schema message = today.getField("message").getType().getRowSchema();
    Schema nextMessage =
        Schema.builder().addFields(message.getFields()).addField(NEW_NULLABLE).build();
    Schema.Builder next = Schema.builder();
    for (Field field : today.getFields()) {
      next.addField(
          field.getName().equals("message")
              ? Field.of("message", FieldType.row(nextMessage))
              : field);
    }

    Row decoded = CoderUtils.decodeFromByteArray(RowCoder.of(next.build()), encodedByTodaysCoder());

    Row decodedMessage = decoded.getRow("message");
    assertNull(decodedMessage.getValue("language"));
    assertEquals(fullDetection().getMessage().getUid(), decodedMessage.getString("uid"));
    assertEquals(fullDetection().getMessage().getLabel(), decodedMessage.getString("label"));
  }

  /**
   * A field declared anywhere but the end still decodes, once the new schema's encoding positions
   * map each old field name to its old position: fields are matched by name, not by place. This is
   * the mapping a runner applies when it updates a job with a changed schema.
   */
  @Test
  void encodingPositionsMatchFieldsByNameWhenTheDeclaredOrderChanges() throws Exception {
    Schema today = detectionCoder().getSchema();
    Schema.Builder reordered = Schema.builder().addField(NEW_NULLABLE);
    for (int i = today.getFieldCount() - 1; i >= 0; i--) {
      reordered.addField(today.getField(i));
    }
    Schema next = reordered.build();
    Map<String, Integer> positions = new HashMap<>(today.getEncodingPositions());
    positions.put(NEW_NULLABLE.getName(), today.getFieldCount());
    next.setEncodingPositions(positions);

    Row decoded = CoderUtils.decodeFromByteArray(RowCoder.of(next), encodedByTodaysCoder());

    assertNull(decoded.getValue("language"));
    Row before = todaysRow();
    for (String name : today.getFieldNames()) {
      Object expected = before.getValue(name);
      assertEquals(expected, decoded.getValue(name), name);
    }
  }
}
