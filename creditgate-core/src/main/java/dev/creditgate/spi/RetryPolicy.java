package dev.creditgate.spi;

import dev.creditgate.InvalidRequestException;
import java.time.Duration;

/**
 * The one retry budget of a gate call: how many attempts it may make and for how long, whatever
 * made an attempt fail (a lost race with another commit, a retry-safe {@link StoreException} such
 * as a broken connection or a pool that timed out). There is no other retry loop around or inside
 * it, so the budget is what a call can cost at most. A store gives its policy through
 * {@link WalletStore#retryPolicy()} (a store's builder sets it); the gate reads it once, when it
 * is built. Immutable.
 *
 * <p>A call stops retrying when it has made {@code maxAttempts} attempts or when the
 * {@code deadline}, counted from the call's first attempt, has passed: it never starts an
 * attempt, nor sleeps before one, past the deadline. An attempt that is already running (a
 * connection request waiting on a pool) finishes first, so a call may take one attempt longer
 * than the deadline; keep the pool's own timeout below it.
 *
 * @param maxAttempts the most attempts per call, 1 or more ({@code 1}: no retry)
 * @param deadline how long after its first attempt a call may start another, positive
 */
public record RetryPolicy(int maxAttempts, Duration deadline) {
  /** 64 attempts within 2 seconds: what a store uses unless its builder sets another. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(64, Duration.ofSeconds(2));

  /** The longest deadline a policy may have: {@value} days, so that every sum stays exact. */
  public static final long MAX_DEADLINE_DAYS = 365;

  /**
   * Checks the policy.
   *
   * @param maxAttempts the most attempts per call, 1 or more
   * @param deadline how long after its first attempt a call may start another; positive, at most
   *     {@link #MAX_DEADLINE_DAYS} days
   * @throws InvalidRequestException naming the value if {@code maxAttempts} is below 1, or
   *     {@code deadline} is null, zero, negative or longer than the maximum
   */
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new InvalidRequestException("maxAttempts", Integer.toString(maxAttempts),
          "a retry policy's attempts must be at least 1 but was " + maxAttempts);
    }
    if (deadline == null || deadline.isNegative() || deadline.isZero()
        || deadline.compareTo(Duration.ofDays(MAX_DEADLINE_DAYS)) > 0) {
      throw new InvalidRequestException("deadline", String.valueOf(deadline),
          "a retry policy's deadline must be positive and at most " + MAX_DEADLINE_DAYS + " days but was " + deadline);
    }
  }
}
