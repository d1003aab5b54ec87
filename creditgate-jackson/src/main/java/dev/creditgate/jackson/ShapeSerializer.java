package dev.creditgate.jackson;

import dev.creditgate.json.JsonShape;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdSerializer;

/** Writes a value in its {@link JsonShape}. */
final class ShapeSerializer<T> extends StdSerializer<T> {
  private final JsonShape<T> shape;

  ShapeSerializer(JsonShape<T> shape) {
    super(shape.type());
    this.shape = shape;
  }

  @Override
  public void serialize(T value, JsonGenerator g, SerializationContext context) {
    shape.write(value, new GeneratorWriter(g));
  }
}
