package dev.creditgate;

/** The formats a ledger can be exported in; each is written by creditgate, one entry per line. */
public enum LedgerFormat {
  /**
   * RFC 4180 CSV with a header line: {@code at,account,kind,grant,amount,operation,key}; amounts
   * as plain decimals ({@code -0.3}), times as ISO-8601 instants. Safe to open in a spreadsheet:
   * a text cell (account, grant, operation, key) that starts with {@code =}, {@code +}, {@code -},
   * {@code @}, a tab or a carriage return is written with a leading {@code '}, so that it is read
   * as text and never run as a formula (the OWASP rule against CSV injection).
   */
  CSV,
  /**
   * {@link #CSV} with every cell exactly as stored, for a program that reads the file back; never
   * open it in a spreadsheet, where a cell such as {@code =HYPERLINK(..)} would run.
   */
  CSV_RAW,
  /**
   * JSON Lines: one object per line with the same fields; amounts as strings to keep them exact;
   * quotes, backslashes and every control character escaped as JSON requires.
   */
  JSON_LINES
}
