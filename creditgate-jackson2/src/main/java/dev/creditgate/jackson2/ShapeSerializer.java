package dev.creditgate.jackson2;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/** Writes a value in its {@link Shape}. */
final class ShapeSerializer<T> extends StdSerializer<T> {
  private static final long serialVersionUID = 1L;

  private final transient Shape<T> shape;

  ShapeSerializer(Shape<T> shape) {
    super(shape.type());
    this.shape = shape;
  }

  @Override
  public void serialize(T value, JsonGenerator g, SerializerProvider provider) throws IOException {
    Trees.write(g, shape.write(value));
  }
}
