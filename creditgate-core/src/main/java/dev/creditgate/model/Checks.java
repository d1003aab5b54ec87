package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;

/** The argument checks of this package's public factories; each names the argument it rejects. */
final class Checks {
  private Checks() {}

  static <T> T nonNull(T value, String name) {
    if (value == null) {
      throw new InvalidRequestException(name, null, name + " must not be null");
    }
    return value;
  }

  static long positive(long value, String name) {
    if (value <= 0) {
      throw new InvalidRequestException(name, Long.toString(value), name + " must be positive but was " + value);
    }
    return value;
  }

  static long nonNegative(long value, String name) {
    if (value < 0) {
      throw new InvalidRequestException(name, Long.toString(value), name + " must not be negative but was " + value);
    }
    return value;
  }

  /**
   * Throws unless {@code value} is a non-blank string of at most {@code maxLength} characters that
   * every store keeps exactly: no U+0000 (PostgreSQL's text cannot hold it) and no lone surrogate
   * (a UTF-8 store would turn it into {@code ?}, so <code>"pay-&#92;uD800"</code> and <code>"pay-&#92;uDC00"</code>
   * would become one key). A surrogate pair, such as an emoji, is kept.
   */
  static String text(String value, String name, int maxLength) {
    nonNull(value, name);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1));
      if (pair) {
        i++;
      } else if (c == '\0' || Character.isSurrogate(c)) {
        String what = c == '\0' ? "U+0000" : String.format("a lone surrogate (U+%04X)", (int) c);
        throw new InvalidRequestException(name, value,
            name + " must not contain " + what + " but '" + value + "' has it at index " + i);
      }
    }
    if (value.isBlank()) {
      throw new InvalidRequestException(name, value, name + " must not be blank but was '" + value + "'");
    }
    if (value.length() > maxLength) {
      throw new InvalidRequestException(name, value,
          name + " must be at most " + maxLength + " characters but was '" + value + "'");
    }
    return value;
  }
}
