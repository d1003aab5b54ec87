package dev.creditgate;

import dev.creditgate.model.AutoTopUp;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Money;
import java.time.Instant;
import java.util.Optional;

/**
 * A wallet's auto top-up as it stands: the rule in force, the open request, what this billing
 * period's requests used of the limits, the decline streak and back-off, and the latest refusal
 * and decline. The answer of {@link CreditGate#setAutoTopUp} and {@link CreditGate#declineAutoTopUp},
 * and the auto top-up section of {@link WalletStatus}. Immutable; made only by the gate.
 *
 * @param rule the rule in force; empty when auto top-up is off (never set, turned off, or switched
 *     off after declines)
 * @param open the request the host is to charge, if one is open (never more than one)
 * @param requestsThisPeriod the requests made in the current billing period, declined ones not
 *     counted: at most the rule's monthly count
 * @param requestedThisPeriod what those requests cost together; empty when there are none
 * @param declinesInARow the declines since the last confirmed request
 * @param retryNotBefore the end of the back-off after the latest decline, before which no request
 *     is made; empty when no decline is pending
 * @param lastRefusal the latest request refused for a limit, if any
 * @param lastDecline the latest decline the host reported, if any
 * @param switchedOff whether auto top-up switched itself off after the rule's decline limit (it
 *     stays off until the host sets a rule again)
 */
public record AutoTopUpStatus(Optional<AutoTopUp> rule, Optional<OpenRequest> open, int requestsThisPeriod,
    Optional<Money> requestedThisPeriod, int declinesInARow, Optional<Instant> retryNotBefore,
    Optional<Refusal> lastRefusal, Optional<Decline> lastDecline, boolean switchedOff) {

  /**
   * Checks that no component is null.
   *
   * @param rule the rule in force, or empty
   * @param open the open request, or empty
   * @param requestsThisPeriod the requests made this period
   * @param requestedThisPeriod what they cost, or empty
   * @param declinesInARow the declines since the last confirmed request
   * @param retryNotBefore the end of the back-off, or empty
   * @param lastRefusal the latest refusal, or empty
   * @param lastDecline the latest decline, or empty
   * @param switchedOff whether it switched itself off after declines
   * @throws InvalidRequestException naming a component that is null
   */
  public AutoTopUpStatus {
    Arguments.require(rule, "rule");
    Arguments.require(open, "open");
    Arguments.require(requestedThisPeriod, "requestedThisPeriod");
    Arguments.require(retryNotBefore, "retryNotBefore");
    Arguments.require(lastRefusal, "lastRefusal");
    Arguments.require(lastDecline, "lastDecline");
  }

  /**
   * A top-up request the host is to charge to the customer's payment method, then confirm with
   * {@link CreditGate#topUp} (or {@link CreditGate#topUpCustom} for {@code "custom"}) under
   * {@link #paymentKey()}, or report with {@link CreditGate#declineAutoTopUp}.
   *
   * @param id the request's id, {@code autotopup:<account>:<n>:<t>} ({@code t}: the epoch
   *     milliseconds of its making): the payment's idempotency key
   * @param pack the pack to buy, or {@code "custom"} for a target balance
   * @param credits the credits it buys
   * @param price what it costs
   * @param requestedAt the time of the spend that made it
   */
  public record OpenRequest(String id, String pack, Credits credits, Money price, Instant requestedAt) {
    /**
     * Checks that no component is null.
     *
     * @param id the request's id
     * @param pack the pack to buy
     * @param credits the credits it buys
     * @param price what it costs
     * @param requestedAt when it was made
     * @throws InvalidRequestException naming a component that is null
     */
    public OpenRequest {
      Arguments.require(id, "id");
      Arguments.require(pack, "pack");
      Arguments.require(credits, "credits");
      Arguments.require(price, "price");
      Arguments.require(requestedAt, "requestedAt");
    }

    /**
     * The request's id as a key: the payment provider's idempotency key of the charge, and the
     * {@code paymentId} of the top-up that confirms it.
     *
     * @return {@code IdempotencyKey.of(id())}
     */
    public IdempotencyKey paymentKey() {
      return IdempotencyKey.of(id);
    }
  }

  /**
   * A request the limits refused: recorded once per crossing of the threshold (again after a grant
   * lifted the available credits back above it, or in the next billing period).
   *
   * @param at the time of the spend that would have made it
   * @param limit the limit reached
   * @param price what the refused request would have cost
   */
  public record Refusal(Instant at, AutoTopUp.Limit limit, Money price) {
    /**
     * Checks that no component is null.
     *
     * @param at the time of the spend
     * @param limit the limit reached
     * @param price what it would have cost
     * @throws InvalidRequestException naming a component that is null
     */
    public Refusal {
      Arguments.require(at, "at");
      Arguments.require(limit, "limit");
      Arguments.require(price, "price");
    }
  }

  /**
   * A decline the host reported.
   *
   * @param at the time of the report
   * @param request the declined request's id
   * @param reason the reason the host gave (the payment provider's decline code, say)
   */
  public record Decline(Instant at, String request, String reason) {
    /**
     * Checks that no component is null.
     *
     * @param at the time of the report
     * @param request the declined request's id
     * @param reason the reason the host gave
     * @throws InvalidRequestException naming a component that is null
     */
    public Decline {
      Arguments.require(at, "at");
      Arguments.require(request, "request");
      Arguments.require(reason, "reason");
    }
  }
}
