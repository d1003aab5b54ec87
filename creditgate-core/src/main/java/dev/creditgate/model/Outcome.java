package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;

/**
 * How a generation ended, stated when its hold is captured. The {@link OutcomePolicy} decides what
 * share of the metered cost each kind is charged. Immutable.
 *
 * @param kind how the generation ended
 * @param retryOf for {@link Kind#RETRY}, the hold id (reserve key) of the failed attempt this one
 *     retries; empty otherwise
 */
public record Outcome(Kind kind, String retryOf) {

  /** The closed set of outcome classes. */
  public enum Kind {
    /** The generation did what was asked. */
    SUCCEEDED,
    /** The model failed (an error or an unusable answer). */
    FAILED_AT_MODEL,
    /** The platform caught an error before it reached the user. */
    PLATFORM_ERROR,
    /** A retry of a failed attempt. */
    RETRY
  }

  /**
   * Checks that a retry, and only a retry, names the attempt it retries.
   *
   * @param kind how the generation ended
   * @param retryOf the failed attempt's reserve key for {@link Kind#RETRY}, else {@code ""}
   * @throws InvalidRequestException naming the value if either is null, if a retry names no
   *     attempt or another kind names one, or if {@code retryOf} is not a valid idempotency key
   */
  public Outcome {
    Checks.nonNull(kind, "outcome kind");
    Checks.nonNull(retryOf, "retryOf");
    if ((kind == Kind.RETRY) == retryOf.isEmpty()) {
      throw new InvalidRequestException("retryOf", retryOf, kind == Kind.RETRY
          ? "a retry must name the failed attempt it retries"
          : "only a retry names a failed attempt, but " + kind + " named '" + retryOf + "'");
    }
    if (!retryOf.isEmpty()) {
      // the failed attempt's hold id, which is an idempotency key: it must survive every store too
      Checks.text(retryOf, "retryOf", IdempotencyKey.MAX_LENGTH);
    }
  }

  /**
   * The generation did what was asked.
   *
   * @return a {@link Kind#SUCCEEDED} outcome (charged 100% of the metered cost by default)
   */
  public static Outcome succeeded() {
    return new Outcome(Kind.SUCCEEDED, "");
  }

  /**
   * The model failed.
   *
   * @return a {@link Kind#FAILED_AT_MODEL} outcome
   */
  public static Outcome failedAtModel() {
    return new Outcome(Kind.FAILED_AT_MODEL, "");
  }

  /**
   * The platform caught an error before it reached the user.
   *
   * @return a {@link Kind#PLATFORM_ERROR} outcome
   */
  public static Outcome platformError() {
    return new Outcome(Kind.PLATFORM_ERROR, "");
  }

  /**
   * A retry of the attempt whose hold was reserved with {@code failedAttempt}.
   *
   * @param failedAttempt the idempotency key the failed attempt's hold was reserved with
   * @return a {@link Kind#RETRY} outcome naming that attempt
   * @throws InvalidRequestException if {@code failedAttempt} is null
   */
  public static Outcome retryOf(IdempotencyKey failedAttempt) {
    Checks.nonNull(failedAttempt, "failedAttempt");
    return new Outcome(Kind.RETRY, failedAttempt.value());
  }
}
