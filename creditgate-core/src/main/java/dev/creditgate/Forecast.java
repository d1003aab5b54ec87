package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import java.time.Duration;
import java.time.Instant;

/**
 * The runway: at the wallet's recent burn rate, when its credits run out, and whether before the
 * renewal. A closed set: {@link Projected} when there is a rate to project, {@link NoSpend} when
 * the wallet spent nothing in the window (it never runs out at that rate), {@link NotEnoughHistory}
 * when its history is too short to tell. Immutable; made by {@link CreditGate#forecast}.
 *
 * <p><b>The rate</b> is what the wallet spent (charges and captures) over the window, divided by
 * the window's length. The window is the last {@code forecastWindow} UTC days (14 by default), the
 * day of the forecast included up to its time (a one-day window at midnight exactly, which would be
 * empty, is the day before): from the start of the earliest of those days, or
 * from the wallet's first recorded spend if that is later, to the forecast's time. All arithmetic
 * is exact, on whole thousandths and nanoseconds: the run-out time is rounded down to the
 * nanosecond, the credits needed up to the credit unit.
 */
public sealed interface Forecast permits Forecast.Projected, Forecast.NoSpend, Forecast.NotEnoughHistory {

  /**
   * The wallet's account.
   *
   * @return the account forecast
   */
  AccountId account();

  /**
   * When the forecast was made.
   *
   * @return the time of the call
   */
  Instant at();

  /**
   * The credits the runway counts: those the wallet had available then, less the credits scoped
   * to some operations, and (for a {@link Projected} forecast) less the promotional credits the
   * rate cannot reach before they expire, taken in the wallet's spend order, rounded down.
   *
   * @return the balance less what open holds reserve, less what the runway cannot spend
   */
  Credits available();

  /**
   * When the current period ends and the subscription credits refresh.
   *
   * @return the next renewal
   */
  Instant nextRenewal();

  /**
   * The wallet spends: at this rate it runs out at {@code runsOutAt}.
   *
   * @param account the wallet's account
   * @param at when the forecast was made
   * @param available the credits the runway counts then (see {@link Forecast#available()})
   * @param nextRenewal the next renewal
   * @param windowStart where the window began: the start of its first day, or the wallet's first
   *     recorded spend if later
   * @param spent what the wallet spent from {@code windowStart} to {@code at}, positive
   * @param perDay the burn rate per 24 hours, {@code spent x 1 day / (at - windowStart)}, rounded
   *     half up to the credit unit (for showing; the projection uses the exact rate)
   * @param runsOutAt when the available credits are spent at this rate: {@code at + available x
   *     (at - windowStart) / spent}, rounded down to the nanosecond; {@code at} if none are
   *     available; at most 9999-12-31T23:59:59Z
   * @param runsOutBeforeRenewal whether {@code runsOutAt} is before {@code nextRenewal}
   * @param neededToReachRenewal the credits missing to last until the renewal at this rate:
   *     {@code spent x (nextRenewal - at) / (at - windowStart) - available}, rounded up to the
   *     credit unit, zero if none are missing
   */
  record Projected(AccountId account, Instant at, Credits available, Instant nextRenewal, Instant windowStart,
      Credits spent, Credits perDay, Instant runsOutAt, boolean runsOutBeforeRenewal,
      Credits neededToReachRenewal) implements Forecast {

    /**
     * The window the rate was measured over.
     *
     * @return {@code at - windowStart}, positive
     */
    public Duration window() {
      return Duration.between(windowStart, at);
    }

    /**
     * How long before the renewal the credits run out.
     *
     * @return {@code nextRenewal - runsOutAt}: positive if they run out before it, zero or
     *     negative if they last until it
     */
    public Duration marginBeforeRenewal() {
      return Duration.between(runsOutAt, nextRenewal);
    }
  }

  /**
   * The wallet spent nothing in the window (or never): at this rate it never runs out.
   *
   * @param account the wallet's account
   * @param at when the forecast was made
   * @param available the credits available then
   * @param nextRenewal the next renewal
   * @param windowStart where the window began
   */
  record NoSpend(AccountId account, Instant at, Credits available, Instant nextRenewal, Instant windowStart)
      implements Forecast {}

  /**
   * The wallet's history is too short for a rate: its first recorded spend is less than the
   * gate's {@code forecastMinimumHistory} (1 day by default) ago. No guess is made.
   *
   * @param account the wallet's account
   * @param at when the forecast was made
   * @param available the credits available then
   * @param nextRenewal the next renewal
   * @param since the wallet's first recorded spend
   * @param enoughAt when its history will be long enough: {@code since} plus the minimum
   */
  record NotEnoughHistory(AccountId account, Instant at, Credits available, Instant nextRenewal, Instant since,
      Instant enoughAt) implements Forecast {}
}
