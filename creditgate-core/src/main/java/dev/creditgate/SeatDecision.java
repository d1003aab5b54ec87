package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Plan;
import java.util.Optional;

/**
 * The answer to adding a member to a shared wallet: {@link Added}, or {@link Denied} because every
 * seat of the plan is taken. A closed set; immutable.
 */
public sealed interface SeatDecision permits SeatDecision.Added, SeatDecision.Denied {

  /**
   * The account the call asked to add.
   *
   * @return the member, as the call named it
   */
  AccountId member();

  /**
   * Seats taken after the call.
   *
   * @return the wallet's member count: one more after an add, unchanged after a denial
   */
  int seatsUsed();

  /**
   * Seats the plan in force has.
   *
   * @return the plan's {@link Plan#SEATS} limit, at least 1
   */
  int seats();

  /**
   * The member was added and takes a seat; their charges now draw on the shared wallet.
   *
   * @param member the account added
   * @param seatsUsed the seats taken, the new member's included
   * @param seats the seats the plan in force has
   */
  record Added(AccountId member, int seatsUsed, int seats) implements SeatDecision {}

  /**
   * No seat is free. Nothing changed.
   *
   * @param member the account that was not added
   * @param seatsUsed the seats taken: all of them
   * @param seats the seats the plan in force has
   * @param plan the plan in force
   * @param planWithMoreSeats the lowest plan with more seats, if the catalog has one
   */
  record Denied(AccountId member, int seatsUsed, int seats, String plan, Optional<Plan> planWithMoreSeats)
      implements SeatDecision {

    /**
     * A sentence a UI can show, naming the seat count and the plan with more seats.
     *
     * @return e.g. {@code "the only seat of the pro plan is taken; the Team plan has 5 seats"}
     */
    public String reason() {
      String taken = seats == 1 ? "the only seat of the " + plan + " plan is taken"
          : "all " + seats + " seats of the " + plan + " plan are taken";
      return taken + planWithMoreSeats.map(p -> "; the " + p.name() + " plan has " + p.seats() + " seats")
          .orElse("");
    }
  }
}
