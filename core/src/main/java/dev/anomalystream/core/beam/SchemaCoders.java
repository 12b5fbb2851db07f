package dev.anomalystream.core.beam;

import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.schemas.SchemaRegistry;

/**
 * The coder Beam infers for a schema type, for the few places that must name a coder outside a
 * pipeline's own inference (a {@code TestStream}, a {@code KV} whose parts are schema types).
 */
public final class SchemaCoders {
  private SchemaCoders() {}

  /**
   * @throws IllegalArgumentException when {@code type} carries no {@code @DefaultSchema}
   */
  public static <T> SchemaCoder<T> of(Class<T> type) {
    try {
      return SchemaRegistry.createDefault().getSchemaCoder(type);
    } catch (NoSuchSchemaException e) {
      throw new IllegalArgumentException(type.getName() + " is not a Beam schema type", e);
    }
  }
}
