package dev.creditgate.json;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Compact JSON text, for this module's tests only, so that the shapes meet the golden files with
 * no JSON library: {@link #write} renders a {@link JsonShape}'s calls as text (escaping as Jackson
 * does: {@code \"}, {@code \\}, the short escapes, {@code \}{@code u00XX} for other control
 * characters, nothing else), and {@link #read} parses strict JSON text (RFC 8259) into a
 * {@link JsonShape.Reading}, numbers as a parser reports them.
 */
final class JsonText {
  private JsonText() {}

  /** {@code value} as compact JSON text, as {@code shape} writes it. */
  static <T> String write(JsonShape<T> shape, Object value) {
    Text text = new Text();
    shape.write(shape.type().cast(value), text);
    return text.out.toString();
  }

  /** {@code json} read as {@code shape}. */
  static <T> T read(JsonShape<T> shape, String json) {
    JsonShape.Reading<T> reading = shape.reading();
    new Parser(json, reading).document();
    return reading.value();
  }

  /** Renders the calls as text, with the commas and colons between. */
  static final class Text implements JsonWriter {
    final StringBuilder out = new StringBuilder();
    /** Whether the next value or name is the first of its object or array, or follows a name. */
    private boolean first = true;

    private void separate() {
      if (!first) {
        out.append(',');
      }
      first = false;
    }

    @Override
    public void startObject() {
      separate();
      out.append('{');
      first = true;
    }

    @Override
    public void name(String name) {
      separate();
      quote(name);
      out.append(':');
      first = true;
    }

    @Override
    public void endObject() {
      out.append('}');
      first = false;
    }

    @Override
    public void startArray() {
      separate();
      out.append('[');
      first = true;
    }

    @Override
    public void endArray() {
      out.append(']');
      first = false;
    }

    @Override
    public void string(String value) {
      separate();
      quote(value);
    }

    @Override
    public void number(long value) {
      separate();
      out.append(value);
    }

    @Override
    public void number(BigInteger value) {
      separate();
      out.append(value);
    }

    @Override
    public void number(BigDecimal value) {
      separate();
      out.append(value);
    }

    @Override
    public void bool(boolean value) {
      separate();
      out.append(value);
    }

    @Override
    public void nullValue() {
      separate();
      out.append("null");
    }

    private void quote(String text) {
      out.append('"');
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\b' -> out.append("\\b");
          case '\f' -> out.append("\\f");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> {
            if (c < 0x20) {
              out.append(String.format("\\u%04X", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      out.append('"');
    }
  }

  /** A recursive-descent parser of one JSON document; malformed text fails with IllegalArgumentException. */
  private static final class Parser {
    private final String text;
    private final JsonWriter out;
    private int at;

    Parser(String text, JsonWriter out) {
      this.text = text;
      this.out = out;
    }

    void document() {
      value();
      space();
      if (at != text.length()) {
        throw malformed("text after the value");
      }
    }

    private void value() {
      space();
      if (at == text.length()) {
        throw malformed("no value");
      }
      char c = text.charAt(at);
      if (c == '{') {
        at++;
        out.startObject();
        space();
        if (!take('}')) {
          do {
            space();
            out.name(string());
            space();
            expect(':');
            value();
            space();
          } while (take(','));
          expect('}');
        }
        out.endObject();
      } else if (c == '[') {
        at++;
        out.startArray();
        space();
        if (!take(']')) {
          do {
            value();
            space();
          } while (take(','));
          expect(']');
        }
        out.endArray();
      } else if (c == '"') {
        out.string(string());
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        number();
      } else if (text.startsWith("true", at)) {
        at += 4;
        out.bool(true);
      } else if (text.startsWith("false", at)) {
        at += 5;
        out.bool(false);
      } else if (text.startsWith("null", at)) {
        at += 4;
        out.nullValue();
      } else {
        throw malformed("unexpected '" + c + "'");
      }
    }

    private void number() {
      int start = at;
      take('-');
      digits();
      boolean whole = true;
      if (take('.')) {
        whole = false;
        digits();
      }
      if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
        at++;
        whole = false;
        if (!take('+')) {
          take('-');
        }
        digits();
      }
      String number = text.substring(start, at);
      if (!whole) {
        out.number(new BigDecimal(number));
        return;
      }
      BigInteger value = new BigInteger(number);
      if (value.bitLength() < Long.SIZE) {
        out.number(value.longValue());
      } else {
        out.number(value);
      }
    }

    private void digits() {
      int start = at;
      while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
        at++;
      }
      if (at == start) {
        throw malformed("a digit expected");
      }
    }

    private String string() {
      expect('"');
      StringBuilder s = new StringBuilder();
      while (true) {
        if (at == text.length()) {
          throw malformed("an unterminated string");
        }
        char c = text.charAt(at++);
        if (c == '"') {
          return s.toString();
        }
        if (c < 0x20) {
          throw malformed("a control character in a string");
        }
        if (c != '\\') {
          s.append(c);
          continue;
        }
        if (at == text.length()) {
          throw malformed("an unterminated escape");
        }
        char e = text.charAt(at++);
        switch (e) {
          case '"', '\\', '/' -> s.append(e);
          case 'b' -> s.append('\b');
          case 'f' -> s.append('\f');
          case 'n' -> s.append('\n');
          case 'r' -> s.append('\r');
          case 't' -> s.append('\t');
          case 'u' -> {
            if (at + 4 > text.length()) {
              throw malformed("a short \\u escape");
            }
            s.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            at += 4;
          }
          default -> throw malformed("the escape \\" + e);
        }
      }
    }

    private void space() {
      while (at < text.length() && " \t\n\r".indexOf(text.charAt(at)) >= 0) {
        at++;
      }
    }

    private boolean take(char c) {
      if (at < text.length() && text.charAt(at) == c) {
        at++;
        return true;
      }
      return false;
    }

    private void expect(char c) {
      if (!take(c)) {
        throw malformed("'" + c + "' expected");
      }
    }

    private IllegalArgumentException malformed(String problem) {
      return new IllegalArgumentException("malformed JSON at " + at + ": " + problem + ": " + text);
    }
  }
}
