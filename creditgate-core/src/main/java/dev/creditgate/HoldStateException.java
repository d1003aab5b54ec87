package dev.creditgate;

import dev.creditgate.model.AccountId;

/**
 * A hold was asked to do what its state does not allow: a reserve reused the id of an open hold,
 * or a capture or release named a hold that is not open. Nothing was changed; retrying the same
 * call fails the same way.
 */
public final class HoldStateException extends CreditGateException {
  private static final long serialVersionUID = 1L;

  /** The state a hold was found in. */
  public enum State {
    /** Open: a reserve used the id of a hold that is still open. */
    OPEN,
    /**
     * Not open: never reserved, or already captured, released or expired. A wallet keeps no closed
     * holds, so which of these is not known.
     */
    NOT_OPEN
  }

  /** The hold's id: the key its reserve call used. */
  private final String hold;
  /** The account whose wallet holds (or lacks) the hold. */
  private final AccountId account;
  /** The state the hold was found in. */
  private final State state;

  /**
   * The hold {@code hold} of {@code account}'s wallet was found in {@code state}.
   *
   * @param account the wallet's account, named in the message
   * @param hold the hold's id: the key its reserve call used
   * @param state {@link State#OPEN} when a reserve reused the id of an open hold,
   *     {@link State#NOT_OPEN} when a capture or release named a hold that is not open
   */
  HoldStateException(AccountId account, String hold, State state) {
    super(state == State.OPEN
        ? "hold '" + hold + "' is already open in " + account
        : "hold '" + hold + "' is not open in " + account
            + ": it was never reserved, or was captured, released or expired");
    this.account = account;
    this.hold = hold;
    this.state = state;
  }

  /**
   * The account whose wallet was asked for the hold.
   *
   * @return the account the failing call named
   */
  public AccountId account() {
    return account;
  }

  /**
   * The hold's id: the key its reserve call used.
   *
   * @return the id the failing call named
   */
  public String hold() {
    return hold;
  }

  /**
   * The state the hold was found in.
   *
   * @return {@link State#OPEN} for a reserve, {@link State#NOT_OPEN} for a capture or a release
   */
  public State state() {
    return state;
  }
}
