package dev.creditgate.examples;

import dev.creditgate.CreditGate;
import dev.creditgate.IdempotencyConflictException;
import dev.creditgate.WalletStatus;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.Stream;

/**
 * What a billing page shows: the wallet's status with each pack lot, the ledger as objects, and an
 * error a caller acts on by its data rather than its message. The gate reads a fixed clock here;
 * a service leaves the default (the system clock).
 */
public final class WalletAndLedger {
  public static void main(String[] args) {
    Instant now = Instant.parse("2026-03-02T08:00:00Z");
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create())
        .clock(Clock.fixed(now, ZoneOffset.UTC))
        .build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZoneId.of("Europe/Paris"));
    gate.topUp(maya, "small", IdempotencyKey.of("pi_1"));
    gate.charge(maya, Operation.GENERATE_IMAGE, 20, IdempotencyKey.of("img-1"));     // 40 credits

    WalletStatus status = gate.status(maya);
    System.out.println("period " + status.periodStart() + " to " + status.nextRenewal() + ": balance "
        + status.balance() + " (subscription " + status.subscription() + ", packs " + status.packs() + ")");
    for (WalletStatus.PackLot lot : status.packLots()) {
      System.out.println("pack lot " + lot.grant() + ": " + lot.remaining() + " of " + lot.granted()
          + " left, bought " + lot.purchasedAt());
    }

    try (Stream<LedgerEntry> entries = gate.ledger(maya, Instant.MIN, Instant.MAX)) {
      entries.forEach(e -> System.out.println("ledger: " + e.kind() + " " + e.amount() + " on " + e.grant()));
    }

    try {
      gate.charge(maya, Operation.GENERATE_IMAGE, 5, IdempotencyKey.of("img-1"));   // same key, other call
    } catch (IdempotencyConflictException e) {
      System.out.println("key " + e.key() + " is taken; retrying it is safe: " + e.isRetrySafe());
    }
  }
}
