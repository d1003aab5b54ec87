package dev.creditgate;

import dev.creditgate.model.Credits;
import java.util.ArrayList;
import java.util.List;

/**
 * The length-prefixed fields of every text creditgate persists (recorded answers, requests): each
 * field is its length in UTF-16 code units, a colon, then the field itself ({@code 5:hello}), so any
 * character may appear in a field and fields never need escaping.
 */
final class Fields {
  private Fields() {}

  /** The fields, each length-prefixed; a {@link Credits} is written as its thousandths. */
  static String join(Object... fields) {
    StringBuilder out = new StringBuilder(64);
    for (Object field : fields) {
      String text = field instanceof Credits c ? Long.toString(c.thousandths()) : String.valueOf(field);
      out.append(text.length()).append(':').append(text);
    }
    return out.toString();
  }

  /**
   * The fields of {@link #join}'s text.
   *
   * @throws IllegalArgumentException if {@code text} is not a sequence of length-prefixed fields
   */
  static List<String> split(String text) {
    List<String> fields = new ArrayList<>(8);
    int i = 0;
    while (i < text.length()) {
      int colon = text.indexOf(':', i);
      if (colon <= i) {
        throw malformed(text, i);
      }
      int length;
      try {
        length = Integer.parseInt(text, i, colon, 10);
      } catch (NumberFormatException e) {
        throw malformed(text, i);
      }
      if (length < 0 || length > text.length() - colon - 1) {
        throw malformed(text, i);
      }
      fields.add(text.substring(colon + 1, colon + 1 + length));
      i = colon + 1 + length;
    }
    return fields;
  }

  static Credits credits(String text) {
    return Credits.ofThousandths(Long.parseLong(text));
  }

  private static IllegalArgumentException malformed(String text, int at) {
    return new IllegalArgumentException("no length-prefixed field at index " + at + " of '" + text + "'");
  }
}
