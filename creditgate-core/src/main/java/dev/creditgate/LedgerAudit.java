package dev.creditgate;

import static dev.creditgate.Arguments.require;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.LedgerEntry;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Reads the ledger back: export for audit, and replay against the stored wallet. Never writes. */
final class LedgerAudit {
  private final MutationRunner runner;

  LedgerAudit(MutationRunner runner) {
    this.runner = runner;
  }

  void export(AccountId account, Instant from, Instant to, LedgerFormat format, Appendable out) {
    require(account, "account");
    require(from, "from");
    require(to, "to");
    require(format, "format");
    require(out, "out");
    runner.load(account);
    try (Stream<LedgerEntry> entries = runner.read(account, () -> runner.store().readLedger(account, from, to))) {
      entries.forEachOrdered(new LedgerWriter(format, out));
    }
  }

  Stream<LedgerEntry> ledger(AccountId account, Instant from, Instant to) {
    require(account, "account");
    require(from, "from");
    require(to, "to");
    runner.load(account);
    return runner.read(account, () -> runner.store().readLedger(account, from, to));
  }

  LedgerReplay replay(AccountId account) {
    require(account, "account");
    return runner.read(account, () -> runner.store()
        .snapshot(account, (stored, ledger) -> replay(account, MutationRunner.wallet(account, stored), ledger)))
        .orElseThrow(() -> new UnknownAccountException(account));
  }

  private static LedgerReplay replay(AccountId account, Wallet wallet, Stream<LedgerEntry> ledger) {
    Map<String, Credits> sums = new HashMap<>();
    Credits[] totals = {Credits.ZERO, Credits.ZERO};
    long[] count = {0};
    ledger.forEachOrdered(entry -> {
      count[0]++;
      int i = entry.kind().affectsBalance() ? 0 : 1;
      totals[i] = totals[i].plus(entry.amount());
      sums.merge((i == 0 ? "" : "hold ") + entry.grant(), entry.amount(), Credits::plus);
    });
    Map<String, Credits> expected = new HashMap<>();
    expected.put(LedgerEntry.SUBSCRIPTION, wallet.subscription());
    expected.put(LedgerEntry.OVERDRAFT, wallet.debt().negate());
    for (PackGrant grant : wallet.packs()) {
      expected.put(grant.id(), grant.remaining());
    }
    for (PromotionGrant grant : wallet.promotions()) {
      expected.put(grant.id(), grant.remaining());
    }
    for (Hold hold : wallet.holds()) {
      expected.put("hold " + hold.id(), hold.amount());
    }
    Map<String, Credits> differences = new TreeMap<>();
    Set<String> names = new HashSet<>(sums.keySet());
    names.addAll(expected.keySet());
    for (String name : names) {
      Credits difference = sums.getOrDefault(name, Credits.ZERO).minus(expected.getOrDefault(name, Credits.ZERO));
      if (!difference.isZero()) {
        differences.put(name, difference);
      }
    }
    return new LedgerReplay(account, count[0], totals[0], wallet.balance(), totals[1], wallet.held(),
        differences);
  }
}
