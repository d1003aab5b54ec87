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

  private final String hold;
  private final State state;

  /** The hold {@code hold} of {@code account}'s wallet was found in {@code state}. */
  public HoldStateException(AccountId account, String hold, State state) {
    super(state == State.OPEN
        ? "hold '" + hold + "' is already open in " + account
        : "hold '" + hold + "' is not open in " + account
            + ": it was never reserved, or was captured, released or expired");
    this.hold = hold;
    this.state = state;
  }

  /** The hold's id: the key its reserve call used. */
  public String hold() {
    return hold;
  }

  /** The state the hold was found in. */
  public State state() {
    return state;
  }
}
