package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Plan;
import java.util.Optional;

/**
 * The answer to adding a member to a shared wallet: {@link Added}, or {@link Denied} because every
 * seat of the plan is taken. A closed set; immutable.
 */
public sealed interface SeatDecision permits SeatDecision.Added, SeatDecision.Denied {

  AccountId member();

  /** Seats taken after the call. */
  int seatsUsed();

  /** Seats the plan in force has. */
  int seats();

  record Added(AccountId member, int seatsUsed, int seats) implements SeatDecision {}

  /**
   * No seat is free. Nothing changed.
   *
   * @param plan the plan in force
   * @param planWithMoreSeats the lowest plan with more seats, if the catalog has one
   */
  record Denied(AccountId member, int seatsUsed, int seats, String plan, Optional<Plan> planWithMoreSeats)
      implements SeatDecision {

    /** A sentence a UI can show, naming the seat count and the plan with more seats. */
    public String reason() {
      String taken = seats == 1 ? "the only seat of the " + plan + " plan is taken"
          : "all " + seats + " seats of the " + plan + " plan are taken";
      return taken + planWithMoreSeats.map(p -> "; the " + p.name() + " plan has " + p.seats() + " seats")
          .orElse("");
    }
  }
}
