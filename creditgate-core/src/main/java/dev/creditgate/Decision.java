package dev.creditgate;

import dev.creditgate.model.Cost;
import dev.creditgate.model.CostBreakdown;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Operation;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
   * How the meter got to {@link #cost()}: the operation's base, the units, the rate per block and
   * the rounding to the credit unit, as data, or as the help article's sentence
   * ({@link CostBreakdown#sentence()}).
   *
   * @return the breakdown of the cost at the terms the gate priced it at when it decided; its
   *     {@code units} are {@link #quantity()} and its {@code total} is {@link #cost()}
   *     ({@link CostBreakdown.Kind#NOT_ITEMIZED} for an answer recorded by creditgate 0.2 or
   *     earlier)
   */
  CostBreakdown costBreakdown();

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
   * demand, which the JIT usually elides, and so does {@link #costBreakdown()}, from the cost
   * table's own terms). Equality is by value, as for a record.
   */
  final class Allowed implements Decision {
    private final Operation operation;
    private final long quantity;
    private final long cost;
    private final long balanceBefore;
    private final long balanceAfter;
    private final Meter meter;
    /** The terms the cost was priced at; null when the answer was recorded without them. */
    private final @Nullable Cost pricing;

    /**
     * An allowed answer whose cost is not itemized: its {@link #costBreakdown()} is
     * {@link CostBreakdown.Kind#NOT_ITEMIZED}, as for an answer recorded by creditgate 0.2.
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
      this(operation, quantity, Arguments.require(cost, "cost").thousandths(), balanceBefore, balanceAfter, meter,
          null);
    }

    /**
     * An allowed answer with these values.
     *
     * @param operation the operation asked about
     * @param quantity the quantity asked for
     * @param cost what it costs
     * @param balanceBefore the available credits before it
     * @param balanceAfter the available credits after it
     * @param meter the meter after it
     * @param costBreakdown how the cost is made up: of {@code quantity} units, charged in full,
     *     totalling {@code cost}
     * @throws InvalidRequestException naming it if an argument other than {@code quantity} is
     *     null, or the breakdown is of other units, of a share, or of another total
     */
    public Allowed(Operation operation, long quantity, Credits cost, Credits balanceBefore,
        Credits balanceAfter, Meter meter, CostBreakdown costBreakdown) {
      this(operation, quantity, Arguments.require(cost, "cost").thousandths(), balanceBefore, balanceAfter, meter,
          checked(costBreakdown, quantity, cost).pricing().orElse(null));
    }

    private Allowed(Operation operation, long quantity, long cost, Credits balanceBefore, Credits balanceAfter,
        Meter meter, @Nullable Cost pricing) {
      this.operation = Arguments.require(operation, "operation");
      this.quantity = quantity;
      this.cost = cost;
      this.balanceBefore = Arguments.require(balanceBefore, "balanceBefore").thousandths();
      this.balanceAfter = Arguments.require(balanceAfter, "balanceAfter").thousandths();
      this.meter = Arguments.require(meter, "meter");
      this.pricing = pricing;
    }

    /**
     * The gate's answer, priced at {@code pricing} (the cost table's own terms, so the answer
     * allocates nothing more); {@code cost} is {@code pricing.of(quantity)}.
     */
    static Allowed priced(Operation operation, long quantity, Cost pricing, Credits cost, Credits balanceBefore,
        Credits balanceAfter, Meter meter) {
      return new Allowed(operation, quantity, cost.thousandths(), balanceBefore, balanceAfter, meter, pricing);
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
    public CostBreakdown costBreakdown() {
      return pricing == null ? CostBreakdown.notItemized(Math.max(0, quantity), cost()) : pricing.explain(quantity);
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
          && meter == a.meter && Objects.equals(pricing, a.pricing);
    }

    @Override
    public int hashCode() {
      return Objects.hash(operation, quantity, cost, balanceBefore, balanceAfter, meter, pricing);
    }

    @Override
    public String toString() {
      return "Allowed[operation=" + operation + ", quantity=" + quantity + ", cost=" + cost()
          + ", balanceBefore=" + balanceBefore() + ", balanceAfter=" + balanceAfter() + ", meter=" + meter
          + ", pricing=" + (pricing == null ? "not itemized" : pricing) + "]";
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
   * @param costBreakdown how the cost is made up: of {@code quantity} units, charged in full,
   *     totalling {@code cost}
   */
  record Denied(Operation operation, long quantity, Credits cost, Credits balanceBefore, Meter meter,
      Reason reason, Credits shortfall, WaysOut waysOut, CostBreakdown costBreakdown) implements Decision {

    /**
     * Checks that the breakdown is the cost's.
     *
     * @param operation the operation asked about
     * @param quantity the quantity asked for
     * @param cost what it would cost
     * @param balanceBefore the available credits
     * @param meter the meter as the wallet stands
     * @param reason why it was denied
     * @param shortfall the credits missing
     * @param waysOut the ways out
     * @param costBreakdown how the cost is made up
     * @throws InvalidRequestException if {@code cost} or {@code costBreakdown} is null, or the
     *     breakdown is of other units, of a share, or of another total
     */
    public Denied {
      checked(costBreakdown, quantity, Arguments.require(cost, "cost"));
    }

    /**
     * A denial whose cost is not itemized ({@link CostBreakdown.Kind#NOT_ITEMIZED}), as one read
     * from JSON written by creditgate 0.2.
     *
     * @param operation the operation asked about
     * @param quantity the quantity asked for
     * @param cost what it would cost
     * @param balanceBefore the available credits
     * @param meter the meter as the wallet stands
     * @param reason why it was denied
     * @param shortfall the credits missing
     * @param waysOut the ways out
     * @throws InvalidRequestException if {@code cost} is null
     */
    public Denied(Operation operation, long quantity, Credits cost, Credits balanceBefore, Meter meter,
        Reason reason, Credits shortfall, WaysOut waysOut) {
      this(operation, quantity, cost, balanceBefore, meter, reason, shortfall, waysOut,
          CostBreakdown.notItemized(Math.max(0, quantity), Arguments.require(cost, "cost")));
    }

    @Override
    public Credits balanceAfter() {
      return balanceBefore;
    }

    @Override
    public boolean isAllowed() {
      return false;
    }
  }

  /** The breakdown, checked to be of {@code quantity} units charged in full for {@code cost}. */
  private static CostBreakdown checked(CostBreakdown breakdown, long quantity, Credits cost) {
    Arguments.require(breakdown, "costBreakdown");
    if (breakdown.units() != quantity || !breakdown.total().equals(cost) || !breakdown.isFullShare()) {
      throw new InvalidRequestException("costBreakdown", breakdown.total().toString(), "costBreakdown of "
          + breakdown.units() + " units at a share of " + breakdown.share() + " bp totalling " + breakdown.total()
          + " is not the cost of this decision: " + quantity + " units for " + cost);
    }
    return breakdown;
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
