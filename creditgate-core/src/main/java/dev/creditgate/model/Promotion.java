package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;

/**
 * Promotional credits to grant: a welcome bonus, a referral reward, a support gesture. Unlike a
 * pack they expire at their own time, may pay only for some operations, and are spent in the order
 * of their priority. Immutable; made with {@link #of} and refined with {@link #scopedTo} and
 * {@link #withPriority}.
 *
 * <pre>{@code
 * gate.grantPromotion(maya, Promotion.of(Credits.of(20), in30Days, "welcome bonus")
 *     .scopedTo(Operation.GENERATE_IMAGE).withPriority(10), IdempotencyKey.of("welcome-maya"), now);
 * }</pre>
 *
 * @param credits the credits granted, positive
 * @param expiresAt when what is left of them expires: from this instant on they can no longer be
 *     spent
 * @param reason why they were granted, for the ledger (the grant entry's operation): not blank, at
 *     most 200 characters
 * @param scope the operations they may pay for, at most {@value #MAX_SCOPE}; empty for every
 *     operation. Iterated in the order of the operations' ids.
 * @param priority the spend order among promotional grants, as Stripe numbers its credit grants:
 *     from {@value #FIRST} (spent first) to {@value #LAST} (spent last); {@value #DEFAULT_PRIORITY}
 *     unless set
 */
public record Promotion(Credits credits, Instant expiresAt, String reason, Set<Operation> scope, int priority) {

  /** The priority spent first. */
  public static final int FIRST = 0;
  /** The priority spent last. */
  public static final int LAST = 100;
  /** The priority of a promotion made by {@link #of}: the middle, as Stripe's default. */
  public static final int DEFAULT_PRIORITY = 50;
  /** The most operations a scope may name. */
  public static final int MAX_SCOPE = 100;
  /** The longest reason, in characters. */
  public static final int MAX_REASON_LENGTH = 200;

  /**
   * Checks every component and keeps the scope sorted by operation id.
   *
   * @param credits the credits granted, positive
   * @param expiresAt when what is left of them expires
   * @param reason why they were granted: not blank, at most 200 characters
   * @param scope the operations they may pay for; empty for every operation
   * @param priority from {@value #FIRST} (spent first) to {@value #LAST}
   * @throws InvalidRequestException naming the component that is null, not positive, blank or too
   *     long, out of range, or a scope with a null operation or more than {@value #MAX_SCOPE}
   */
  public Promotion {
    Checks.nonNull(credits, "credits");
    if (!credits.isPositive()) {
      throw new InvalidRequestException("credits", credits.toString(),
          "promotional credits must be positive but were " + credits);
    }
    Checks.nonNull(expiresAt, "expiresAt");
    Checks.text(reason, "reason", MAX_REASON_LENGTH);
    Checks.nonNull(scope, "scope");
    TreeSet<Operation> sorted = new TreeSet<>(Comparator.comparing(Operation::id));
    for (Operation operation : scope) {
      sorted.add(Checks.nonNull(operation, "scope operation"));
    }
    if (sorted.size() > MAX_SCOPE) {
      throw new InvalidRequestException("scope", Integer.toString(sorted.size()),
          "a promotion's scope names at most " + MAX_SCOPE + " operations but named " + sorted.size());
    }
    if (priority < FIRST || priority > LAST) {
      throw new InvalidRequestException("priority", Integer.toString(priority),
          "priority must be in " + FIRST + ".." + LAST + " but was " + priority);
    }
    scope = Collections.unmodifiableSet(sorted);
  }

  /**
   * Promotional credits for every operation, at the default priority.
   *
   * @param credits the credits granted, positive
   * @param expiresAt when what is left of them expires
   * @param reason why they were granted: not blank, at most 200 characters
   * @return the promotion
   * @throws InvalidRequestException naming the argument that is null, not positive, blank or too
   *     long
   */
  public static Promotion of(Credits credits, Instant expiresAt, String reason) {
    return new Promotion(credits, expiresAt, reason, Set.of(), DEFAULT_PRIORITY);
  }

  /**
   * This promotion paying only for {@code operations}.
   *
   * @param operations the operations it may pay for, at least one
   * @return a promotion scoped to them
   * @throws InvalidRequestException if none is named, or one is null
   */
  public Promotion scopedTo(Operation... operations) {
    Checks.nonNull(operations, "operations");
    if (operations.length == 0) {
      throw new InvalidRequestException("operations", "", "a scope names at least one operation");
    }
    for (Operation operation : operations) {
      Checks.nonNull(operation, "scope operation");
    }
    return new Promotion(credits, expiresAt, reason, Set.copyOf(Arrays.asList(operations)), priority);
  }

  /**
   * This promotion at another priority.
   *
   * @param priority from {@value #FIRST} (spent first) to {@value #LAST} (spent last)
   * @return the promotion with that priority
   * @throws InvalidRequestException if the priority is out of range
   */
  public Promotion withPriority(int priority) {
    return new Promotion(credits, expiresAt, reason, scope, priority);
  }

  /**
   * Whether these credits may pay for {@code operation}.
   *
   * @param operation an operation
   * @return {@code true} if the scope is empty or names it
   */
  public boolean covers(Operation operation) {
    return scope.isEmpty() || scope.contains(operation);
  }
}
