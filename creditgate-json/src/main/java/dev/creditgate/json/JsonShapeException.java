package dev.creditgate.json;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * JSON that does not read as the type asked for, from {@link JsonShape.Reading}: its message names
 * where the value is ({@code waysOut.renewal.credits}, {@code packLots[1].granted}), what was
 * expected and the value itself; {@link #value()} holds the value. The Jackson modules rethrow it
 * as Jackson's {@code InvalidFormatException}, with the same message and value.
 */
public final class JsonShapeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient @Nullable Object value;

  JsonShapeException(String message, @Nullable Object value) {
    super(message);
    this.value = value;
  }

  /**
   * The value refused, as read.
   *
   * @return a string, a {@code Long}, {@code BigInteger} or {@code BigDecimal}, or a
   *     {@code Boolean}; empty if the value is missing, null, or an object or array
   */
  public Optional<Object> value() {
    return Optional.ofNullable(value);
  }
}
