package dev.creditgate.examples;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.HoldSettlement;
import dev.creditgate.LedgerFormat;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A generation that fails at the model and is retried: reserve before it starts, capture with the
 * outcome when it ends. The outcome policy charges a failed attempt half its metered cost and the
 * retry half again (the defaults); the ledger shows every step.
 */
public final class ErrorsRetriesAndHolds {
  public static void main(String[] args) {
    CreditGate gate = CreditGate.inMemory();
    AccountId account = AccountId.of("lee");
    Instant now = Instant.parse("2026-05-01T12:00:00Z");
    gate.openWallet(account, ZoneOffset.UTC, now);

    // Attempt 1: reserve the estimate (40k tokens), the model fails after 40k tokens.
    IdempotencyKey attempt1 = IdempotencyKey.of("gen-77-attempt-1");
    Decision held = gate.reserve(account, Operation.AI_CHAT_MESSAGE, 40_000, attempt1, now);
    System.out.println("reserved " + held.cost() + ", available " + held.balanceAfter());
    HoldSettlement failed = gate.capture(account, attempt1, 40_000, Outcome.failedAtModel(),
        IdempotencyKey.of("gen-77-attempt-1-end"), now.plusSeconds(20));
    System.out.println("failed at the model: metered " + failed.metered() + ", charged " + failed.charged());

    // Attempt 2 retries it and succeeds with fewer tokens; capturing less returns the rest at once.
    IdempotencyKey attempt2 = IdempotencyKey.of("gen-77-attempt-2");
    gate.reserve(account, Operation.AI_CHAT_MESSAGE, 40_000, attempt2, now.plusSeconds(21));
    HoldSettlement retried = gate.capture(account, attempt2, 30_000, Outcome.retryOf(attempt1),
        IdempotencyKey.of("gen-77-attempt-2-end"), now.plusSeconds(40));
    System.out.println("retry: metered " + retried.metered() + ", charged " + retried.charged()
        + ", available " + retried.balanceAfter());

    // A crashed worker calls capture again with the same key: same answer, nothing charged twice.
    HoldSettlement again = gate.capture(account, attempt2, 30_000, Outcome.retryOf(attempt1),
        IdempotencyKey.of("gen-77-attempt-2-end"), now.plusSeconds(41));
    System.out.println("repeated capture returns the first result: " + again.equals(retried));

    System.out.println("ledger replays clean: " + gate.replay(account).isConsistent());
    gate.exportLedger(account, Instant.MIN, Instant.MAX, LedgerFormat.CSV, System.out);
  }
}
