package dev.creditgate.model;

/**
 * The stable id of one event: its wallet's account and its place in that account's sequence of
 * events (1, 2, 3, ... with no gaps, in the order the changes that caused them were committed).
 * A sink that may see an event twice (delivery is at least once) drops what it has seen by this
 * id. Immutable.
 *
 * @param account the account whose wallet recorded the event (a team's, for a team wallet)
 * @param sequence the event's number within the account, 1 or more
 */
public record EventId(AccountId account, long sequence) {
  /**
   * Checks the id.
   *
   * @param account the wallet's account
   * @param sequence the event's number within the account, 1 or more
   * @throws dev.creditgate.InvalidRequestException naming the value if {@code account} is null or
   *     {@code sequence} is below 1
   */
  public EventId {
    Checks.nonNull(account, "account");
    Checks.positive(sequence, "event sequence");
  }

  /**
   * The id as one token: the account, {@code '#'}, the sequence ({@code maya#17}).
   *
   * @return a text that differs for different ids
   */
  @Override
  public String toString() {
    return account.value() + "#" + sequence;
  }
}
