package dev.creditgate.jackson2;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.creditgate.json.JsonShape;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes a value in its {@link JsonShape}; the generator's {@link IOException} comes out as itself. */
final class ShapeSerializer<T> extends StdSerializer<T> {
  private static final long serialVersionUID = 1L;

  private final transient JsonShape<T> shape;

  ShapeSerializer(JsonShape<T> shape) {
    super(shape.type());
    this.shape = shape;
  }

  @Override
  public void serialize(T value, JsonGenerator g, SerializerProvider provider) throws IOException {
    try {
      shape.write(value, new GeneratorWriter(g));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
