package dev.creditgate.json;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * JSON as a stream of calls, in document order: what {@link JsonShape#write} writes to, and what a
 * {@link JsonShape.Reading} is written to. An adapter implements it over its JSON library's
 * generator, and writes its parser's tokens to a reading; an object is {@link #startObject()},
 * then {@link #name} and the field's value for each field, then {@link #endObject()}.
 *
 * <p>A shape writes only strings, whole numbers as {@link #number(long)}, booleans, nulls, objects
 * and arrays; a reading also takes the other numbers a parser may meet, so that it can name them
 * when it refuses them. A writer over a library whose output throws checked exceptions wraps
 * them unchecked.
 */
public interface JsonWriter {

  /** The start of an object; its fields follow, each a {@link #name} and a value. */
  void startObject();

  /**
   * The name of the object's next field, whose value follows.
   *
   * @param name the field's name
   */
  void name(String name);

  /** The end of the object last started. */
  void endObject();

  /** The start of an array; its elements follow. */
  void startArray();

  /** The end of the array last started. */
  void endArray();

  /**
   * A string.
   *
   * @param value the string, unescaped
   */
  void string(String value);

  /**
   * A whole number that fits a {@code long}.
   *
   * @param value the number
   */
  void number(long value);

  /**
   * A whole number too large for a {@code long}; a shape never writes one.
   *
   * @param value the number
   */
  void number(BigInteger value);

  /**
   * A number with a fraction or an exponent, as parsed ({@code 1.5}, {@code 1e3}); a shape never
   * writes one.
   *
   * @param value the number, exact
   */
  void number(BigDecimal value);

  /**
   * {@code true} or {@code false}.
   *
   * @param value the boolean
   */
  void bool(boolean value);

  /** {@code null}. */
  void nullValue();
}
