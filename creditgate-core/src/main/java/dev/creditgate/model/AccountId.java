package dev.creditgate.model;

/**
 * The host's id for an account (a user, or a team: one wallet each). At most 200 characters, not
 * blank, and text every store keeps exactly: any Unicode text (emoji included) but U+0000 and lone
 * surrogates. Immutable.
 */
public record AccountId(String value) {
  public static final int MAX_LENGTH = 200;

  public AccountId {
    Checks.text(value, "account id", MAX_LENGTH);
  }

  /**
   * @throws dev.creditgate.InvalidRequestException naming the value if it is null, blank, too long,
   *     or has U+0000 or a lone surrogate
   */
  public static AccountId of(String value) {
    return new AccountId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
