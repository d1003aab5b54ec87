package dev.creditgate.postgresql;

import dev.creditgate.InvalidRequestException;

/** Which text PostgreSQL's text type can hold: anything without U+0000, which is never stored. */
final class Storable {
  private Storable() {}

  /** Whether PostgreSQL's text type cannot hold {@code text}: nothing with U+0000 is ever stored. */
  static boolean unstorable(String text) {
    return text.indexOf('\0') >= 0;
  }

  /** Refuses {@code text}, named {@code name} in the message, if PostgreSQL cannot store it. */
  static void requireStorable(String text, String name) {
    if (unstorable(text)) {
      throw new InvalidRequestException(name + " '" + text.replace('\0', '?')
          + "' contains the character U+0000, which PostgreSQL cannot store");
    }
  }
}
