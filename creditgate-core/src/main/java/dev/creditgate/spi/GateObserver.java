package dev.creditgate.spi;

import dev.creditgate.Decision;
import dev.creditgate.HoldSettlement;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;

/**
 * Watches what a gate does, for a host's metrics: its answers, what its commits changed, how long
 * its calls took and how often they had to try again. Set with
 * {@code CreditGateBuilder.observer}; by default a gate has none. {@code creditgate-micrometer}
 * binds it to a Micrometer registry.
 *
 * <p><b>It can never break or slow a call.</b> Every method is called on the calling thread after
 * the fact, never inside a store transaction, a constant number of times per gate call (for a
 * commit, once per event it recorded). Whatever a method throws (but the JVM's own failures, such
 * as out of memory) is caught and logged at WARN, at most once a minute per method, and the call
 * goes on as if nothing happened: its change stands. Implementations must be thread-safe and
 * should return quickly (count, do not do I/O).
 *
 * <p><b>Counted once.</b> What a commit changed ({@link #recorded}, {@link #spent},
 * {@link #holdsChanged}) is reported by the gate that committed it, when it committed: a repeat of
 * a recorded call, which changes nothing, reports none of it, and an event delivered again by
 * another instance's relay is not reported again. Answers ({@link #decided}, {@link #settled}) are
 * reported each time one is given, a repeat's recorded answer included.
 *
 * <p>Every method does nothing by default: implement only those you count.
 */
public interface GateObserver {

  /**
   * An answer to a check, a charge or a reserve: allowed or denied, free operations and repeats of
   * a recorded call included. A denial wrote nothing.
   *
   * @param call {@link Call#CHECK}, {@link Call#CHARGE} or {@link Call#RESERVE}
   * @param decision the answer the caller got
   */
  default void decided(Call call, Decision decision) {}

  /**
   * An answer to a capture or a release, a repeat's recorded answer included.
   *
   * @param call {@link Call#CAPTURE} or {@link Call#RELEASE}
   * @param settlement the answer the caller got
   */
  default void settled(Call call, HoldSettlement settlement) {}

  /**
   * An event a commit of this gate recorded (a threshold crossed, credits granted, a renewal,
   * credits expired, a plan changed, a member added or removed), once, when the commit landed:
   * not on its delivery to the event sink, which may be later, repeated, or on another instance.
   *
   * @param event the event, as the commit recorded it
   */
  default void recorded(WalletEvent event) {}

  /**
   * Credits a commit of this gate spent: an allowed paid charge, or a capture that charged
   * something. Once per commit, with the exact amount its ledger records.
   *
   * @param operation the operation the credits paid for
   * @param credits the credits taken (positive); for an overdraft, the part beyond the balance
   *     included
   */
  default void spent(Operation operation, Credits credits) {}

  /**
   * A commit of this gate opened or closed holds: a reserve opens one; a capture, a release and an
   * expiry (by a sweep, or rolled forward on the wallet's next change) close them. Called only when
   * one of the two is not zero.
   *
   * @param opened the holds the commit opened
   * @param closed the holds the commit closed
   */
  default void holdsChanged(int opened, int closed) {}

  /**
   * A gate call ended: every mutation and every check, whatever its answer. Called after
   * {@link #decided} or {@link #settled}.
   *
   * @param call what was called
   * @param nanos how long it took, from entering the gate to its answer or exception
   * @param failed whether it threw (bad input, an unknown account, a store failure...); a denial is
   *     an answer, not a failure
   */
  default void finished(Call call, long nanos, boolean failed) {}

  /**
   * A call had to try again, or gave up: the same counts as {@code CreditGate.retryStatistics()},
   * one at a time.
   *
   * @param kind why
   */
  default void retried(Retry kind) {}

  /** The gate calls an observer is told about: a bounded set, fit for a metric's tag. */
  enum Call {
    /** {@code check}. */
    CHECK,
    /** {@code charge}. */
    CHARGE,
    /** {@code reserve}. */
    RESERVE,
    /** {@code capture}. */
    CAPTURE,
    /** {@code release}. */
    RELEASE,
    /** {@code topUp} and {@code topUpCustom}. */
    TOP_UP,
    /** {@code changePlan}. */
    CHANGE_PLAN,
    /** {@code refundPack}, {@code refundCharge} and {@code reversePack}. */
    REFUND,
    /** {@code adjust}. */
    ADJUST,
    /** {@code openWallet}. */
    OPEN,
    /** {@code addMember}. */
    ADD_MEMBER,
    /** {@code removeMember}. */
    REMOVE_MEMBER,
    /** {@code setMemberCap}. */
    SET_MEMBER_CAP,
    /** {@code expireHolds}: the sweep as a whole. */
    EXPIRE_HOLDS,
    /** {@code grantPromotion} and {@code revokePromotion}. */
    PROMOTION,
    /** {@code setAutoTopUp} and {@code declineAutoTopUp}. */
    AUTO_TOP_UP
  }

  /** Why a call tried again. */
  enum Retry {
    /** An attempt lost to another commit on the same wallet and decided again (normal when busy). */
    LOST_RACE,
    /** An attempt failed with a retry-safe store failure and was tried again after a pause. */
    STORE_FAILURE,
    /** A call ran out of its retry budget and threw. */
    GAVE_UP
  }
}
