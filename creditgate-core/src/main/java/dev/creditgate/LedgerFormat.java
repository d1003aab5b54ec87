package dev.creditgate;

/** The formats a ledger can be exported in; both are written by creditgate, one entry per line. */
public enum LedgerFormat {
  /**
   * RFC 4180 CSV with a header line: {@code at,account,kind,grant,amount,operation,key}; amounts
   * as plain decimals ({@code -0.3}), times as ISO-8601 instants.
   */
  CSV,
  /**
   * JSON Lines: one object per line with the same fields; amounts as strings to keep them exact.
   */
  JSON_LINES
}
