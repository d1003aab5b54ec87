package dev.creditgate.jackson2;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.creditgate.json.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A shape's JSON, written straight to Jackson's generator: no setting of the host's mapper
 * (property order, inclusion, naming, number handling) changes it. The generator's
 * {@link IOException} is carried out as an {@link UncheckedIOException}, which
 * {@link ShapeSerializer} unwraps.
 */
final class GeneratorWriter implements JsonWriter {
  private final JsonGenerator g;

  GeneratorWriter(JsonGenerator g) {
    this.g = g;
  }

  /** One of the generator's writes. */
  private interface Write {
    void to(JsonGenerator g) throws IOException;
  }

  private void write(Write write) {
    try {
      write.to(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void startObject() {
    write(JsonGenerator::writeStartObject);
  }

  @Override
  public void name(String name) {
    write(g -> g.writeFieldName(name));
  }

  @Override
  public void endObject() {
    write(JsonGenerator::writeEndObject);
  }

  @Override
  public void startArray() {
    write(JsonGenerator::writeStartArray);
  }

  @Override
  public void endArray() {
    write(JsonGenerator::writeEndArray);
  }

  @Override
  public void string(String value) {
    write(g -> g.writeString(value));
  }

  @Override
  public void number(long value) {
    write(g -> g.writeNumber(value));
  }

  @Override
  public void number(BigInteger value) {
    write(g -> g.writeNumber(value));
  }

  @Override
  public void number(BigDecimal value) {
    write(g -> g.writeNumber(value));
  }

  @Override
  public void bool(boolean value) {
    write(g -> g.writeBoolean(value));
  }

  @Override
  public void nullValue() {
    write(JsonGenerator::writeNull);
  }
}
