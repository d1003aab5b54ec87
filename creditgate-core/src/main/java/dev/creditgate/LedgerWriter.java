package dev.creditgate;

import dev.creditgate.model.LedgerEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Writes ledger entries as CSV or JSON Lines, one at a time, so an export never buffers them. A
 * CSV text cell that a spreadsheet would run as a formula (it starts with {@code =}, {@code +},
 * {@code -}, {@code @}, a tab or a carriage return) is written with a leading {@code '}, so support
 * staff who open the export see the text ({@link LedgerFormat#CSV_RAW} writes it as stored); JSON
 * escapes what it must.
 */
final class LedgerWriter implements Consumer<LedgerEntry> {
  private static final String[] FIELDS = {"at", "account", "kind", "grant", "amount", "operation", "key"};
  /** The fields a host or a user chose the text of; the others are instants, kinds and amounts. */
  private static final boolean[] TEXT = {false, true, false, true, false, true, true};

  private final LedgerFormat format;
  private final Appendable out;

  LedgerWriter(LedgerFormat format, Appendable out) {
    this.format = format;
    this.out = out;
    if (format != LedgerFormat.JSON_LINES) {
      write(String.join(",", FIELDS) + "\r\n");
    }
  }

  @Override
  public void accept(LedgerEntry e) {
    String[] values = {e.at().toString(), e.account().value(), e.kind().name(), e.grant(),
        e.amount().toString(), e.operation(), e.key()};
    StringBuilder line = new StringBuilder(128);
    if (format != LedgerFormat.JSON_LINES) {
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          line.append(',');
        }
        csv(line, TEXT[i] && format == LedgerFormat.CSV ? defused(values[i]) : values[i]);
      }
      line.append("\r\n");
    } else {
      line.append('{');
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          line.append(',');
        }
        json(line.append('"').append(FIELDS[i]).append("\":"), values[i]);
      }
      line.append("}\n");
    }
    write(line);
  }

  private void write(CharSequence text) {
    try {
      out.append(text);
    } catch (IOException ex) {
      throw new UncheckedIOException("ledger export failed while writing", ex);
    }
  }

  /** The text, with a leading {@code '} if a spreadsheet would read it as a formula. */
  private static String defused(String value) {
    if (value.isEmpty()) {
      return value;
    }
    char first = value.charAt(0);
    boolean formula = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    return formula ? "'" + value : value;
  }

  private static void csv(StringBuilder line, String value) {
    boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
        || value.indexOf('\r') >= 0;
    if (!quote) {
      line.append(value);
      return;
    }
    line.append('"').append(value.replace("\"", "\"\"")).append('"');
  }

  private static void json(StringBuilder line, String value) {
    line.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> line.append("\\\"");
        case '\\' -> line.append("\\\\");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\t' -> line.append("\\t");
        default -> {
          if (c < 0x20) {
            line.append(String.format("\\u%04x", (int) c));
          } else {
            line.append(c);
          }
        }
      }
    }
    line.append('"');
  }
}
