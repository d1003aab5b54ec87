package dev.creditgate.jackson;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdSerializer;

/** Writes a value in its {@link Shape}. */
final class ShapeSerializer<T> extends StdSerializer<T> {
  private final Shape<T> shape;

  ShapeSerializer(Shape<T> shape) {
    super(shape.type());
    this.shape = shape;
  }

  @Override
  public void serialize(T value, JsonGenerator g, SerializationContext context) {
    Trees.write(g, shape.write(value));
  }
}
