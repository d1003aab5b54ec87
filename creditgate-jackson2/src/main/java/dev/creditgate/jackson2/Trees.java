package dev.creditgate.jackson2;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Moves the JSON trees of {@link Shape} through Jackson's streaming API, so that no setting of the
 * host's mapper (property order, inclusion, naming, number handling) changes a shape.
 */
final class Trees {
  private Trees() {}

  static void write(JsonGenerator g, @Nullable Object tree) throws IOException {
    if (tree == null) {
      g.writeNull();
    } else if (tree instanceof String s) {
      g.writeString(s);
    } else if (tree instanceof Long || tree instanceof Integer) {
      g.writeNumber(((Number) tree).longValue());
    } else if (tree instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (tree instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> field : map.entrySet()) {
        g.writeFieldName((String) field.getKey());
        write(g, field.getValue());
      }
      g.writeEndObject();
    } else if (tree instanceof List<?> list) {
      g.writeStartArray();
      for (Object element : list) {
        write(g, element);
      }
      g.writeEndArray();
    } else {
      throw new IllegalStateException("not a JSON tree: " + tree.getClass());
    }
  }

  /**
   * Reads the value at the parser's current token, leaving the parser on its last token. Numbers
   * stay exact: whole ones as {@code Long} (or {@code BigInteger}), others as {@code BigDecimal}.
   *
   * @throws ShapeException if an object has a field twice
   */
  static @Nullable Object read(JsonParser p) throws IOException {
    JsonToken token = p.currentToken();
    if (token == null) {
      throw new ShapeException("no JSON value", null);
    }
    switch (token) {
      case START_OBJECT:
        return readFields(p, p.nextToken());
      case FIELD_NAME:
      case END_OBJECT:
        // called inside an object whose start another deserializer (a type id's) already read
        return readFields(p, token);
      case START_ARRAY:
        List<@Nullable Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(read(p));
        }
        return list;
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDecimalValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        Object embedded = p.getEmbeddedObject();
        if (embedded instanceof String || embedded instanceof Number || embedded instanceof Boolean) {
          return embedded;
        }
        throw new ShapeException("unexpected JSON token " + token, null);
    }
  }

  private static Map<String, @Nullable Object> readFields(JsonParser p, JsonToken first) throws IOException {
    Map<String, @Nullable Object> fields = new LinkedHashMap<>();
    for (JsonToken token = first; token == JsonToken.FIELD_NAME; token = p.nextToken()) {
      String name = p.currentName();
      p.nextToken();
      if (fields.containsKey(name)) {
        throw new ShapeException(name + ": the field appears twice", name);
      }
      fields.put(name, read(p));
    }
    return fields;
  }
}
