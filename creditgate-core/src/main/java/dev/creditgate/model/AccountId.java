package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;

/**
 * The host's id for an account (a user, or a team: one wallet each). At most 200 characters.
 * Immutable.
 */
public record AccountId(String value) {
  public static final int MAX_LENGTH = 200;

  public AccountId {
    InvalidRequestException.requireText(value, "account id", MAX_LENGTH);
  }

  public static AccountId of(String value) {
    return new AccountId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
