package dev.creditgate.jackson2;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;

/**
 * Reads a value in its {@link Shape}; a value that does not fit is refused with Jackson's
 * {@link InvalidFormatException}, whose message names the path and the value and whose
 * {@link InvalidFormatException#getValue()} is the value.
 */
final class ShapeDeserializer<T> extends StdDeserializer<T> {
  private static final long serialVersionUID = 1L;

  private final transient Shape<T> shape;

  ShapeDeserializer(Shape<T> shape) {
    super(shape.type());
    this.shape = shape;
  }

  @Override
  public T deserialize(JsonParser p, DeserializationContext context) throws IOException {
    try {
      return shape.read(Node.root(Trees.read(p)));
    } catch (ShapeException e) {
      throw InvalidFormatException.from(p, "Cannot read " + shape.type().getSimpleName() + ": " + e.getMessage(),
          e.value(), shape.type());
    }
  }
}
