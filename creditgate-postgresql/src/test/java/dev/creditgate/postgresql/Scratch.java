package dev.creditgate.postgresql;

import java.util.stream.Stream;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.spi.WalletState;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Real wallet states for tests that write to the store by hand: made by a gate over an in-memory
 * store, since only the gate makes wallets.
 */
final class Scratch {
  final InMemoryWalletStore store = InMemoryWalletStore.create();
  final CreditGate gate = CreditGate.builder(store).build();
  private final AccountId account;

  Scratch(AccountId account, ZoneId zone, Instant at) {
    this.account = account;
    gate.openWallet(account, zone, at);
  }

  /** After a top-up of the small pack paid with {@code payment}. */
  Scratch toppedUp(String payment, Instant at) {
    gate.topUp(account, "small", IdempotencyKey.of(payment), at);
    return this;
  }

  WalletState state() {
    return store.load(account).orElseThrow().state();
  }

  List<LedgerEntry> ledger() {
    List<LedgerEntry> entries = new ArrayList<>();
    try (Stream<LedgerEntry> read = store.readLedger(account, Instant.MIN, Instant.MAX)) {
      read.forEachOrdered(entries::add);
    }
    return entries;
  }
}
