package dev.creditgate.jackson2;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import dev.creditgate.json.JsonShape;
import dev.creditgate.json.JsonShapeException;
import dev.creditgate.json.JsonWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/**
 * Reads a value in its {@link JsonShape}, writing the parser's tokens to the shape's reading; a
 * value that does not fit is refused with Jackson's {@link InvalidFormatException}, whose message
 * names the path and the value and whose {@link InvalidFormatException#getValue()} is the value.
 */
final class ShapeDeserializer<T> extends StdDeserializer<T> {
  private static final long serialVersionUID = 1L;

  private final transient JsonShape<T> shape;

  ShapeDeserializer(JsonShape<T> shape) {
    super(shape.type());
    this.shape = shape;
  }

  @Override
  public T deserialize(JsonParser p, DeserializationContext context) throws IOException {
    JsonShape.Reading<T> reading = shape.reading();
    try {
      JsonToken token = p.currentToken();
      if (token == JsonToken.FIELD_NAME || token == JsonToken.END_OBJECT) {
        // inside an object whose start another deserializer (a type id's) already read
        reading.startObject();
        copyFields(p, reading);
      } else {
        copy(p, reading);
      }
      return reading.value();
    } catch (JsonShapeException e) {
      throw refused(p, e.getMessage(), e.value().orElse(null));
    }
  }

  /** Writes the value at the parser's current token to {@code out}, leaving the parser on its last token. */
  private void copy(JsonParser p, JsonWriter out) throws IOException {
    JsonToken token = p.currentToken();
    if (token == null) {
      throw refused(p, "no JSON value", null);
    }
    switch (token) {
      case START_OBJECT:
        out.startObject();
        p.nextToken();
        copyFields(p, out);
        break;
      case START_ARRAY:
        out.startArray();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          copy(p, out);
        }
        out.endArray();
        break;
      case VALUE_STRING:
        out.string(p.getText());
        break;
      case VALUE_NUMBER_INT:
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          out.number(p.getBigIntegerValue());
        } else {
          out.number(p.getLongValue());
        }
        break;
      case VALUE_NUMBER_FLOAT:
        out.number(p.getDecimalValue());
        break;
      case VALUE_TRUE:
        out.bool(true);
        break;
      case VALUE_FALSE:
        out.bool(false);
        break;
      case VALUE_NULL:
        out.nullValue();
        break;
      default:
        copyEmbedded(p, token, out);
    }
  }

  /** The fields from the current token on, to the object's end, which it writes. */
  private void copyFields(JsonParser p, JsonWriter out) throws IOException {
    for (JsonToken token = p.currentToken(); token == JsonToken.FIELD_NAME; token = p.nextToken()) {
      out.name(p.currentName());
      p.nextToken();
      copy(p, out);
    }
    out.endObject();
  }

  /** A plain value that a token buffer holds as an object. */
  private void copyEmbedded(JsonParser p, JsonToken token, JsonWriter out) throws IOException {
    @Nullable Object embedded = token == JsonToken.VALUE_EMBEDDED_OBJECT ? p.getEmbeddedObject() : null;
    if (embedded instanceof String s) {
      out.string(s);
    } else if (embedded instanceof Boolean b) {
      out.bool(b);
    } else if (embedded instanceof Long || embedded instanceof Integer) {
      out.number(((Number) embedded).longValue());
    } else if (embedded instanceof BigInteger n) {
      out.number(n);
    } else if (embedded instanceof BigDecimal n) {
      out.number(n);
    } else {
      throw refused(p, "unexpected JSON token " + token, embedded);
    }
  }

  private InvalidFormatException refused(JsonParser p, String problem, @Nullable Object value) {
    return InvalidFormatException.from(p, "Cannot read " + shape.type().getSimpleName() + ": " + problem, value,
        shape.type());
  }
}
