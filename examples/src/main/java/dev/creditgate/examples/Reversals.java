package dev.creditgate.examples;

import dev.creditgate.BalanceChange;
import dev.creditgate.CreditGate;
import dev.creditgate.InvalidRequestException;
import dev.creditgate.WalletStatus;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;

/**
 * A payment reversal: Maya buys a Small pack, spends part of it, and her bank charges the payment
 * back. What remains of the pack is taken back and what she spent from it becomes debt, repaid
 * first from her next allowance: buying, spending and charging back never leaves free credits.
 */
public final class Reversals {
  public static void main(String[] args) {
    Instant start = Instant.parse("2026-03-02T08:00:00Z");
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create())
        .eventSink((id, event) -> {
          if (event instanceof WalletEvent.PackReversed r) {
            System.out.println("event: " + r.grant() + " reversed, " + r.takenBack() + " taken back, "
                + r.owed() + " owed");
          }
        }).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZoneOffset.UTC, start);                                  // Free: 30 credits
    gate.topUp(maya, "small", IdempotencyKey.of("pi_1"), start.plusSeconds(60));   // +100, paid with pi_1
    // Ten integrations (50 credits): the 30 subscription credits, then 20 of the pack.
    gate.charge(maya, Operation.CONNECT_INTEGRATION, 10, IdempotencyKey.of("int-1"), start.plusSeconds(120));

    // The payment provider reports a chargeback of pi_1: the host reverses the pack, keyed by the dispute.
    Instant disputed = start.plus(Duration.ofDays(5));
    BalanceChange reversed = gate.reversePack(maya, IdempotencyKey.of("pi_1"), IdempotencyKey.of("dp_1"), disputed);
    WalletStatus status = gate.status(maya, disputed);
    System.out.println("reversed " + reversed.grant() + ": " + reversed.amount() + ", balance " + status.balance()
        + ", debt " + status.debt());
    // The webhook delivered twice answers the same; another dispute of the same payment is refused.
    System.out.println("repeat answers the same: "
        + reversed.equals(gate.reversePack(maya, IdempotencyKey.of("pi_1"), IdempotencyKey.of("dp_1"), disputed)));
    try {
      gate.reversePack(maya, IdempotencyKey.of("pi_1"), IdempotencyKey.of("dp_2"), disputed);
    } catch (InvalidRequestException e) {
      System.out.println("refused: " + e.getMessage());
    }

    // At the renewal the 30 new credits repay the 20 owed first.
    Instant renewal = Instant.parse("2026-04-02T08:00:00Z");
    System.out.println("after the renewal: available " + gate.status(maya, renewal).available());
    gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), renewal.plusSeconds(60));
    try (Stream<LedgerEntry> ledger = gate.ledger(maya, start, renewal.plusSeconds(61))) {
      ledger.filter(e -> e.kind() == LedgerEntry.Kind.REVERSAL || e.operation().equals("repay-overdraft"))
          .forEach(e -> System.out.println("  ledger: " + e.at() + " " + e.kind() + " " + e.grant() + " "
              + e.amount()));
    }
    System.out.println("replay consistent: " + gate.replay(maya).isConsistent());
  }
}
