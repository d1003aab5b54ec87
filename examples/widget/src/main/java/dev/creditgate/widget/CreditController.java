package dev.creditgate.widget;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.Forecast;
import dev.creditgate.HoldSettlement;
import dev.creditgate.InvalidRequestException;
import dev.creditgate.PlanChange;
import dev.creditgate.WalletStatus;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the builder's front end calls: a wallet's status, its runway forecast, an AI change (reserve the estimate, then
 * capture the actual tokens with the outcome), any other operation (the free ones are allowed at
 * zero), a plan change, and the catalog. Bodies are creditgate's JSON shapes (docs/json.md). Every
 * change takes the caller's {@code Idempotency-Key} header, so a repeated request applies once.
 * A denial is HTTP 402 with the denied decision, its shortfall and three ways out, in the body;
 * every decision and settlement carries its {@code costBreakdown}, which the page turns into the
 * article's sentence. Errors are mapped by {@link CreditGateErrors}.
 */
@RestController
@RequestMapping("/api")
class CreditController {
  /** The header every change carries; the page makes one per click. */
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  /** The HTTP status of a denial: payment required. */
  static final HttpStatus DENIED = HttpStatus.PAYMENT_REQUIRED;

  private final CreditGate gate;

  CreditController(CreditGate gate) {
    this.gate = gate;
  }

  /** An AI change: the tokens set aside before it runs, those it used, and how it ended. */
  record AiChange(Long estimatedTokens, Long actualTokens, Outcome outcome) {}

  /** A plan change: the id of the plan to move to. */
  record PlanRequest(String plan) {}

  @GetMapping("/catalog")
  Catalog catalog() {
    return gate.catalog();
  }

  @GetMapping("/accounts/{account}/status")
  WalletStatus status(@PathVariable String account) {
    return gate.status(AccountId.of(account));
  }

  /**
   * The runway now: at the wallet's recent burn rate, when its credits run out and whether before
   * the renewal ({@code "projected"}), or that it spent nothing recently ({@code "no-spend"}), or
   * when its history will be long enough to tell ({@code "not-enough-history"}). The window and
   * the minimum history are {@code creditgate.forecast.*}.
   */
  @GetMapping("/accounts/{account}/forecast")
  Forecast forecast(@PathVariable String account) {
    return gate.forecast(AccountId.of(account));
  }

  /**
   * Reserves the estimate under the request's key (the hold's id), then captures the actual tokens
   * with the outcome under the key plus {@code /capture}; every argument is checked before the
   * reserve, so a bad request holds nothing. Repeated with the same key, it answers the first
   * settlement.
   */
  @PostMapping("/accounts/{account}/ai-changes")
  ResponseEntity<?> aiChange(@PathVariable String account, @RequestHeader(IDEMPOTENCY_KEY) String key,
      @RequestBody AiChange change) {
    AccountId id = AccountId.of(account);
    long estimated = tokens("estimatedTokens", change.estimatedTokens());
    long actual = tokens("actualTokens", change.actualTokens());
    Outcome outcome = required("outcome", change.outcome());
    IdempotencyKey hold = IdempotencyKey.of(key);
    IdempotencyKey capture = IdempotencyKey.of(key + "/capture");
    Decision reserved = gate.reserve(id, Operation.AI_CHAT_MESSAGE, estimated, hold);
    if (reserved instanceof Decision.Denied denied) {
      return ResponseEntity.status(DENIED).body(denied);
    }
    HoldSettlement settlement = gate.capture(id, hold, actual, outcome, capture);
    return ResponseEntity.ok(settlement);
  }

  /**
   * Charges one unit of an operation of the cost table: publish-update, export-data, share-app
   * and the other free ones are allowed at any balance; a paid one denied is 402.
   */
  @PostMapping("/accounts/{account}/actions/{operation}")
  ResponseEntity<Decision> action(@PathVariable String account, @PathVariable String operation,
      @RequestHeader(IDEMPOTENCY_KEY) String key) {
    Decision decision = gate.charge(AccountId.of(account), Operation.of(operation), 1, IdempotencyKey.of(key));
    return ResponseEntity.status(decision.isAllowed() ? HttpStatus.OK : DENIED).body(decision);
  }

  /** An upgrade takes effect at once (the new plan's credits are granted); a downgrade at renewal. */
  @PutMapping("/accounts/{account}/plan")
  PlanChange changePlan(@PathVariable String account, @RequestHeader(IDEMPOTENCY_KEY) String key,
      @RequestBody PlanRequest request) {
    return gate.changePlan(AccountId.of(account), required("plan", request.plan()), IdempotencyKey.of(key));
  }

  static <T> T required(String field, T value) {
    if (value == null) {
      throw new InvalidRequestException(field, null, field + " is missing");
    }
    return value;
  }

  private static long tokens(String field, Long value) {
    long tokens = required(field, value);
    if (tokens < 0) {
      throw new InvalidRequestException(field, Long.toString(tokens), field + " must not be negative but was " + tokens);
    }
    return tokens;
  }
}
