package dev.creditgate.model;

/**
 * A caller-given key that makes a mutation idempotent within one account: a payment id for a
 * top-up, a message id for a charge. At most 200 characters, not blank, and text every store keeps
 * exactly: any Unicode text (emoji included) but U+0000 and lone surrogates, so two different keys
 * never become one in a store. Immutable.
 *
 * @param value the key as the caller gave it, kept exactly (no trimming, no case folding)
 */
public record IdempotencyKey(String value) {
  /** The most characters ({@code char}s: an emoji counts two) a key may have: {@value}. */
  public static final int MAX_LENGTH = 200;

  /**
   * Checks the key.
   *
   * @param value the key, at most {@link #MAX_LENGTH} characters
   * @throws dev.creditgate.InvalidRequestException naming the value if it is null, blank, too
   *     long, or has U+0000 or a lone surrogate
   */
  public IdempotencyKey {
    Checks.text(value, "idempotency key", MAX_LENGTH);
  }

  /**
   * The key {@code value}; the same as the constructor.
   *
   * @param value the key, at most {@link #MAX_LENGTH} characters
   * @return the key, equal to every other key of the same text
   * @throws dev.creditgate.InvalidRequestException naming the value if it is null, blank, too
   *     long, or has U+0000 or a lone surrogate
   */
  public static IdempotencyKey of(String value) {
    return new IdempotencyKey(value);
  }

  /**
   * The key's text, exactly as given.
   *
   * @return {@link #value()}
   */
  @Override
  public String toString() {
    return value;
  }
}
