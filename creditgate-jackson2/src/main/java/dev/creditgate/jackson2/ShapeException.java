package dev.creditgate.jackson2;

import org.jspecify.annotations.Nullable;

/**
 * A JSON value that does not read as the type asked for: its message names where it is, what was
 * expected and the value itself. {@link CreditGateModule}'s deserializers rethrow it as Jackson's
 * {@code InvalidFormatException}.
 */
final class ShapeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient @Nullable Object value;

  ShapeException(String message, @Nullable Object value) {
    super(message);
    this.value = value;
  }

  /** The offending value as read (a string, a number, a boolean), or null if absent or a structure. */
  @Nullable Object value() {
    return value;
  }
}
