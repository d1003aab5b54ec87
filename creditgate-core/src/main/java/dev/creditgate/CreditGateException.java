package dev.creditgate;

/**
 * The one exception type a caller of creditgate needs to catch.
 *
 * <p>Every subtype but one is thrown <em>before</em> anything is written: a call that fails with
 * a {@code CreditGateException} leaves every balance, hold, ledger entry and idempotency record
 * exactly as it was. The one exception, {@link dev.creditgate.spi.CommitOutcomeUnknownException},
 * says so: the call's change may have been written, whole, and repeating the call with the same
 * key tells which. Each message names the value that was rejected, and each subtype also
 * carries those values as accessors, so a caller never parses a message. Messages are printable:
 * control characters and lone surrogates in a named value appear escaped, as
 * <code>&#92;u0000</code> or <code>&#92;uD800</code>.
 *
 * <p>A denial for lack of credits is <em>not</em> an exception: it is a normal answer, a
 * {@code Decision.Denied}. Exceptions are for bad input and broken infrastructure;
 * {@link #isRetrySafe()} tells them apart.
 */
public abstract class CreditGateException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * An exception whose message is {@code message}, made printable.
   *
   * @param message what was rejected or failed, naming the value; control characters and lone
   *     surrogates in it are escaped
   */
  protected CreditGateException(String message) {
    super(printable(message));
  }

  /**
   * An exception whose message is {@code message}, made printable, caused by {@code cause}.
   *
   * @param message what was rejected or failed, naming the value; control characters and lone
   *     surrogates in it are escaped
   * @param cause the failure underneath, e.g. a database driver's exception; may be null
   */
  protected CreditGateException(String message, Throwable cause) {
    super(printable(message), cause);
  }

  /**
   * Whether repeating the very same call, with the same idempotency key, is safe and may succeed.
   *
   * <ul>
   *   <li>{@code false} for bad input, unknown names, conflicts and holds in the wrong state
   *       (every subtype in {@code dev.creditgate}): the same call fails the same way until the
   *       caller changes it or the state it names.
   *   <li>{@code true} for {@link dev.creditgate.spi.StoreException} and
   *       {@link dev.creditgate.spi.StoreUnavailableException}: nothing was written, and the same
   *       key makes a retry apply the call at most once.
   *   <li>{@code true} for {@link dev.creditgate.spi.CommitOutcomeUnknownException}: the change
   *       may have been written; a retry with the same key returns its answer if it was, or
   *       applies the call once if not.
   *   <li>{@code false} for {@link dev.creditgate.spi.SchemaMissingException},
   *       {@link dev.creditgate.spi.SchemaMismatchException},
   *       {@link dev.creditgate.spi.UnreadableWalletException} and
   *       {@link dev.creditgate.spi.StoreFaultException}: an operator must act first (create or
   *       migrate the tables, look at a stored wallet or the database's error).
   * </ul>
   *
   * <p>This default answers {@code false}; a subtype that may succeed on a retry says so.
   *
   * @return {@code true} if the same call with the same key may succeed and is applied at most
   *     once; {@code false} if it would fail the same way
   */
  public boolean isRetrySafe() {
    return false;
  }

  /**
   * {@code text} with control characters and lone surrogates written as
   * <code>&#92;uXXXX</code>.
   */
  static String printable(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1));
      if (pair) {
        if (out != null) {
          out.append(c).append(text.charAt(i + 1));
        }
        i++;
      } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
        if (out == null) {
          out = new StringBuilder(text.length() + 8).append(text, 0, i);
        }
        out.append(String.format("\\u%04X", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }
}
