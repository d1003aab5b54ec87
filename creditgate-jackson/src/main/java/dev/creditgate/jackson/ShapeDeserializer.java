package dev.creditgate.jackson;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;

/**
 * Reads a value in its {@link Shape}; a value that does not fit is refused with Jackson's
 * {@link InvalidFormatException}, whose message names the path and the value and whose
 * {@link InvalidFormatException#getValue()} is the value.
 */
final class ShapeDeserializer<T> extends StdDeserializer<T> {
  private final Shape<T> shape;

  ShapeDeserializer(Shape<T> shape) {
    super(shape.type());
    this.shape = shape;
  }

  @Override
  public T deserialize(JsonParser p, DeserializationContext context) {
    try {
      return shape.read(Node.root(Trees.read(p)));
    } catch (ShapeException e) {
      throw InvalidFormatException.from(p, "Cannot read " + shape.type().getSimpleName() + ": " + e.getMessage(),
          e.value(), shape.type());
    }
  }
}
