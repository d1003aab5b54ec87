package dev.creditgate;

import java.util.Optional;

import java.util.function.BiFunction;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.CustomPackTerms;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Money;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.Pack;
import dev.creditgate.model.Plan;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.UpgradePolicy;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * One account in a {@link CreditGate} over an {@link InMemoryWalletStore}, with the events it
 * published, the test's current time and fresh idempotency keys. Not thread-safe.
 */
final class GateFixture {
  static final AccountId ACCOUNT = AccountId.of("account-1");

  /** The gate's settings a property varies; the catalog is the default one but for the custom rate. */
  record Config(SpendOrder spendOrder, OverdraftPolicy overdraft, UpgradePolicy upgradePolicy,
      Credits customCreditsPerDollar) {

    static Config defaults() {
      return new Config(SpendOrder.SUBSCRIPTION_FIRST, OverdraftPolicy.NONE, UpgradePolicy.RESTART_PERIOD,
          Credits.of(10));
    }

    Catalog catalog() {
      Catalog defaults = Catalog.defaults();
      Catalog.Builder builder = Catalog.builder();
      for (Plan plan : defaults.plans()) {
        builder.plan(plan);
      }
      for (Pack pack : defaults.packs()) {
        builder.pack(pack);
      }
      return builder.customPacks(new CustomPackTerms(Money.usd("5"), Money.usd("1000"), customCreditsPerDollar))
          .build();
    }
  }

  /** What the store holds for the account: compared whole to show that nothing changed. */
  record Snapshot(StoredWallet stored, List<LedgerEntry> ledger, int events) {}

  final Config config;
  final InMemoryWalletStore store;
  final CreditGate gate;
  final List<WalletEvent> events = new ArrayList<>();
  Instant now;
  private int keys;

  private GateFixture(Config config, InMemoryWalletStore store, ZoneId zone, Instant openedAt) {
    this.config = config;
    this.store = store;
    this.gate = CreditGate.builder(store)
        .eventSink((id, event) -> events.add(event))
        .catalog(config.catalog())
        .spendOrder(config.spendOrder())
        .overdraft(config.overdraft())
        .upgradePolicy(config.upgradePolicy())
        .build();
    this.now = openedAt;
    gate.openWallet(ACCOUNT, zone, openedAt);
  }

  static GateFixture open(Config config, ZoneId zone, Instant at) {
    return new GateFixture(config, InMemoryWalletStore.create(), zone, at);
  }

  static GateFixture open(Config config, InMemoryWalletStore store, ZoneId zone, Instant at) {
    return new GateFixture(config, store, zone, at);
  }

  Catalog catalog() {
    return gate.catalog();
  }

  IdempotencyKey nextKey() {
    return IdempotencyKey.of("key-" + ++keys);
  }

  StoredWallet stored() {
    return store.load(ACCOUNT).orElseThrow();
  }

  Wallet wallet() {
    return Wallet.of(stored().state());
  }

  List<LedgerEntry> ledger() {
    List<LedgerEntry> entries = new ArrayList<>();
    try (Stream<LedgerEntry> read = store.readLedger(ACCOUNT, Instant.MIN, Instant.MAX)) {
      read.forEachOrdered(entries::add);
    }
    return entries;
  }

  /** The ledger entries written with {@code key}, in ledger order. */
  List<LedgerEntry> ledgerOf(IdempotencyKey key) {
    List<LedgerEntry> entries = new ArrayList<>();
    for (LedgerEntry entry : ledger()) {
      if (entry.key().equals(key.value())) {
        entries.add(entry);
      }
    }
    return entries;
  }

  Snapshot snapshot() {
    return new Snapshot(stored(), ledger(), events.size());
  }

  void assertUnchangedSince(Snapshot before, String what) {
    Snapshot after = snapshot();
    assertEquals(before.stored().version(), after.stored().version(), what + " changed the version");
    assertEquals(Wallet.of(before.stored().state()), Wallet.of(after.stored().state()), what + " changed the wallet");
    assertEquals(before.ledger(), after.ledger(), what + " changed the ledger");
    assertEquals(before.events(), after.events(), what + " published events");
  }
}
