package dev.creditgate.jackson;

import dev.creditgate.json.JsonWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import tools.jackson.core.JsonGenerator;

/**
 * A shape's JSON, written straight to Jackson's generator: no setting of the host's mapper
 * (property order, inclusion, naming, number handling) changes it.
 */
final class GeneratorWriter implements JsonWriter {
  private final JsonGenerator g;

  GeneratorWriter(JsonGenerator g) {
    this.g = g;
  }

  @Override
  public void startObject() {
    g.writeStartObject();
  }

  @Override
  public void name(String name) {
    g.writeName(name);
  }

  @Override
  public void endObject() {
    g.writeEndObject();
  }

  @Override
  public void startArray() {
    g.writeStartArray();
  }

  @Override
  public void endArray() {
    g.writeEndArray();
  }

  @Override
  public void string(String value) {
    g.writeString(value);
  }

  @Override
  public void number(long value) {
    g.writeNumber(value);
  }

  @Override
  public void number(BigInteger value) {
    g.writeNumber(value);
  }

  @Override
  public void number(BigDecimal value) {
    g.writeNumber(value);
  }

  @Override
  public void bool(boolean value) {
    g.writeBoolean(value);
  }

  @Override
  public void nullValue() {
    g.writeNull();
  }
}
