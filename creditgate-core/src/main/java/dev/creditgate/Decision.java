package dev.creditgate;

import dev.creditgate.model.Credits;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Operation;
import java.util.Objects;

/**
 * The gate's answer to "may this account do this now, and what does it cost?". A closed set:
 * {@link Allowed} or {@link Denied}. Balances are the <em>available</em> credits (the balance less
 * what open holds reserve). Immutable.
 *
 * <pre>{@code
 * switch (gate.check(account, Operation.GENERATE_IMAGE, 1, now)) {
 *   case Decision.Allowed a -> render(a.balanceAfter(), a.meter());
 *   case Decision.Denied d -> offer(d.waysOut());
 * }
 * }</pre>
 * (Pattern matching on sealed types needs Java 21; on 17 use {@code instanceof}.)
 */
public sealed interface Decision permits Decision.Allowed, Decision.Denied {

  /**
   * The operation asked about.
   *
   * @return the operation as the call named it
   */
  Operation operation();

  /**
   * The quantity asked for: units of a fixed cost, or metered units such as tokens.
   *
   * @return the quantity as the call gave it
   */
  long quantity();

  /**
   * What the quantity asked for costs, from the gate's cost table.
   *
   * @return the cost, rounded up to the credit unit; zero for a free operation, and for a reserve
   *     the amount held
   */
  Credits cost();

  /**
   * The available credits before the operation.
   *
   * @return the balance less what open holds reserve, as the wallet stood when the gate decided
   */
  Credits balanceBefore();

  /**
   * The available credits after the operation; equal to {@link #balanceBefore()} when denied.
   *
   * @return {@code balanceBefore() - cost()} when allowed (below zero only under an overdraft
   *     policy), else {@code balanceBefore()}
   */
  Credits balanceAfter();

  /**
   * The meter after the operation.
   *
   * @return what the balance widget shows after an allowed operation, or as the wallet stands
   *     after a denial
   */
  Meter meter();

  /**
   * Whether the operation may go ahead.
   *
   * @return {@code true} for {@link Allowed}, {@code false} for {@link Denied}
   */
  boolean isAllowed();

  /**
   * The operation may go ahead (for a charge: it has been paid for).
   *
   * <p>A value class rather than a record: it keeps its three amounts as exact thousandths, so the
   * gate's hottest answer is one small object (the {@link Credits} accessors build theirs on
   * demand, which the JIT usually elides). Equality is by value, as for a record.
   */
  final class Allowed implements Decision {
    private final Operation operation;
    private final long quantity;
    private final long cost;
    private final long balanceBefore;
    private final long balanceAfter;
    private final Meter meter;

    /**
     * An allowed answer with these values.
     *
     * @param operation the operation asked about
     * @param quantity the quantity asked for
     * @param cost what it costs
     * @param balanceBefore the available credits before it
     * @param balanceAfter the available credits after it
     * @param meter the meter after it
     * @throws InvalidRequestException naming it if an argument other than {@code quantity} is null
     */
    public Allowed(Operation operation, long quantity, Credits cost, Credits balanceBefore,
        Credits balanceAfter, Meter meter) {
      this.operation = Arguments.require(operation, "operation");
      this.quantity = quantity;
      this.cost = Arguments.require(cost, "cost").thousandths();
      this.balanceBefore = Arguments.require(balanceBefore, "balanceBefore").thousandths();
      this.balanceAfter = Arguments.require(balanceAfter, "balanceAfter").thousandths();
      this.meter = Arguments.require(meter, "meter");
    }

    @Override
    public Operation operation() {
      return operation;
    }

    @Override
    public long quantity() {
      return quantity;
    }

    @Override
    public Credits cost() {
      return Credits.ofThousandths(cost);
    }

    @Override
    public Credits balanceBefore() {
      return Credits.ofThousandths(balanceBefore);
    }

    @Override
    public Credits balanceAfter() {
      return Credits.ofThousandths(balanceAfter);
    }

    @Override
    public Meter meter() {
      return meter;
    }

    @Override
    public boolean isAllowed() {
      return true;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Allowed a && operation.equals(a.operation) && quantity == a.quantity
          && cost == a.cost && balanceBefore == a.balanceBefore && balanceAfter == a.balanceAfter
          && meter == a.meter;
    }

    @Override
    public int hashCode() {
      return Objects.hash(operation, quantity, cost, balanceBefore, balanceAfter, meter);
    }

    @Override
    public String toString() {
      return "Allowed[operation=" + operation + ", quantity=" + quantity + ", cost=" + cost()
          + ", balanceBefore=" + balanceBefore() + ", balanceAfter=" + balanceAfter() + ", meter=" + meter + "]";
    }
  }

  /**
   * The operation may not go ahead. Nothing was charged.
   *
   * @param operation the operation asked about
   * @param quantity the quantity asked for
   * @param cost what it would cost
   * @param balanceBefore the available credits, unchanged by the denial
   * @param meter the meter as the wallet stands
   * @param reason why: the wallet's available credits, or the member's cap
   * @param shortfall the credits missing to pay the cost in full (from the wallet, or under the
   *     member's cap)
   * @param waysOut the ways out, as data a UI can render; for {@link Reason#MEMBER_CAP_REACHED}
   *     only the renewal is offered
   */
  record Denied(Operation operation, long quantity, Credits cost, Credits balanceBefore, Meter meter,
      Reason reason, Credits shortfall, WaysOut waysOut) implements Decision {
    @Override
    public Credits balanceAfter() {
      return balanceBefore;
    }

    @Override
    public boolean isAllowed() {
      return false;
    }
  }

  /** Why an operation was denied. */
  enum Reason {
    /** The available credits do not cover the cost under the overdraft policy. */
    INSUFFICIENT_CREDITS,
    /**
     * The member of a shared wallet reached their spending cap for the period; the wallet itself
     * may still have credits. The only way out is the renewal (the cap resets) or a higher cap.
     */
    MEMBER_CAP_REACHED
  }
}
