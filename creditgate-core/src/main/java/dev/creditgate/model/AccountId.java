package dev.creditgate.model;

/**
 * The host's id for an account (a user, or a team: one wallet each). At most 200 characters, not
 * blank, and text every store keeps exactly: any Unicode text (emoji included) but U+0000 and lone
 * surrogates. Immutable.
 *
 * @param value the id as the host knows it, kept exactly as given (no trimming, no case folding)
 */
public record AccountId(String value) {
  /** The most characters ({@code char}s: an emoji counts two) an account id may have: {@value}. */
  public static final int MAX_LENGTH = 200;

  /**
   * Checks the id.
   *
   * @param value the id, at most {@link #MAX_LENGTH} characters
   * @throws dev.creditgate.InvalidRequestException naming the value if it is null, blank, too
   *     long, or has U+0000 or a lone surrogate
   */
  public AccountId {
    Checks.text(value, "account id", MAX_LENGTH);
  }

  /**
   * The account id {@code value}; the same as the constructor.
   *
   * @param value the id, at most {@link #MAX_LENGTH} characters
   * @return the id, equal to every other id of the same text
   * @throws dev.creditgate.InvalidRequestException naming the value if it is null, blank, too
   *     long, or has U+0000 or a lone surrogate
   */
  public static AccountId of(String value) {
    return new AccountId(value);
  }

  /**
   * The id's text, exactly as given.
   *
   * @return {@link #value()}
   */
  @Override
  public String toString() {
    return value;
  }
}
