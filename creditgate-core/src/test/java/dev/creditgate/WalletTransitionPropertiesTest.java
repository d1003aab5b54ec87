package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.UpgradePolicy;

import dev.creditgate.Hold;
import dev.creditgate.PackGrant;
import dev.creditgate.TopUp;
import dev.creditgate.Transition;
import dev.creditgate.Wallet;
import dev.creditgate.WalletRules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * The pure wallet transitions, holds included (the gate does not expose holds yet): over random
 * walks of debits, top-ups, holds reserved, captured (for more or less than held), released or left
 * to expire, plan changes and renewals, the ledger the transitions return sums to the balance, to
 * the held total and, per grant, to what remains of it; and without overdraft nothing available
 * goes below zero.
 */
class WalletTransitionPropertiesTest {

  sealed interface Act permits Wait, Debit, TopUp, Reserve, Capture, Release, ChangePlan {}

  record Wait(Duration duration) implements Act {}

  record Debit(long thousandths) implements Act {}

  record TopUp(long thousandths) implements Act {}

  record Reserve(long thousandths, Duration ttl) implements Act {}

  /** Captures the {@code pick}-th open hold (modulo their number) for {@code percent}% of its amount. */
  record Capture(int pick, int percent) implements Act {}

  record Release(int pick) implements Act {}

  record ChangePlan(String planId) implements Act {}

  @Provide
  Arbitrary<WalletRules> rules() {
    Arbitrary<OverdraftPolicy> overdraft = Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(OverdraftPolicy.NONE)),
        Tuple.of(1, Arbitraries.longs().between(1, 100_000).map(t -> OverdraftPolicy.downTo(Credits.ofThousandths(t)))));
    return Combinators.combine(Arbitraries.of(SpendOrder.class), overdraft, Arbitraries.of(UpgradePolicy.class))
        .as((order, policy, upgrade) -> new WalletRules(Catalog.defaults(), order, policy, upgrade,
            WalletRules.DEFAULT_WARNING_PERCENTS));
  }

  @Provide
  Arbitrary<List<Act>> walks() {
    Arbitrary<Long> amounts = Arbitraries.longs().between(1, 80_000).withDistribution(RandomDistribution.uniform());
    Arbitrary<Act> act = Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.longs().between(0, 600).map(Duration::ofMinutes)),
            Tuple.of(2, Arbitraries.longs().between(1, 40).map(Duration::ofDays))).map(d -> (Act) new Wait(d))),
        Tuple.of(3, amounts.map(a -> (Act) new Debit(a))),
        Tuple.of(1, Arbitraries.longs().between(1, 200_000).map(a -> (Act) new TopUp(a))),
        Tuple.of(3, Combinators.combine(amounts, Arbitraries.longs().between(1, 600).map(Duration::ofMinutes))
            .as((a, ttl) -> (Act) new Reserve(a, ttl))),
        Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 200))
            .as((pick, percent) -> (Act) new Capture(pick, percent))),
        Tuple.of(1, Arbitraries.integers().between(0, 9).map(pick -> (Act) new Release(pick))),
        Tuple.of(1, Arbitraries.of("free", "pro", "team").map(plan -> (Act) new ChangePlan(plan))));
    return act.list().ofMinSize(1).ofMaxSize(50).withSizeDistribution(RandomDistribution.uniform());
  }

  @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void walletTransitionsConserveCredits_ledgerSumsToBalanceHeldAndEachGrant(
      @ForAll("rules") WalletRules rules, @ForAll("walks") List<Act> walk) {
    AccountId account = AccountId.of("a");
    Instant now = Instant.parse("2024-01-31T09:30:00Z");
    Transition opened = Wallet.open(account, rules.catalog().startingPlan(), ZoneId.of("Europe/Paris"), now);
    Wallet wallet = opened.wallet();
    List<LedgerEntry> ledger = new ArrayList<>(opened.entries());
    int ids = 0;
    boolean captured = false;
    boolean expired = false;

    for (int i = 0; i < walk.size(); i++) {
      Act act = walk.get(i);
      String where = "act " + i + " " + act;
      if (act instanceof Wait wait) {
        now = now.plus(wait.duration());
        continue;
      }
      Transition rolled = wallet.rollForward(now, rules);
      expired |= rolled.entries().stream().anyMatch(e -> e.kind() == LedgerEntry.Kind.RELEASE);
      wallet = rolled.wallet();
      ledger.addAll(rolled.entries());
      String key = "k" + ++ids;
      Transition t = null;
      if (act instanceof Debit debit) {
        Credits cost = Credits.ofThousandths(debit.thousandths());
        Wallet w = wallet;
        if (wallet.canAfford(Operation.GENERATE_IMAGE, cost, rules)) {
          t = wallet.debit(Operation.GENERATE_IMAGE, cost, Optional.empty(), key, now, rules);
        } else {
          Instant at = now;
          assertThrows(IllegalStateException.class,
              () -> w.debit(Operation.GENERATE_IMAGE, cost, Optional.empty(), key, at, rules));
        }
      } else if (act instanceof TopUp topUp) {
        t = wallet.topUp("pack:" + key, "custom", Credits.ofThousandths(topUp.thousandths()),
            dev.creditgate.model.Money.usd("1"), key, now, rules);
      } else if (act instanceof Reserve reserve) {
        Credits amount = Credits.ofThousandths(reserve.thousandths());
        if (wallet.canAfford(Operation.AI_CHAT_MESSAGE, amount, rules)) {
          t = HoldChanges.reserve(wallet, key, Operation.AI_CHAT_MESSAGE, amount, Optional.empty(), now.plus(reserve.ttl()), now, rules);
        }
      } else if (act instanceof Capture capture && !wallet.holds().isEmpty()) {
        Hold hold = wallet.holds().get(capture.pick() % wallet.holds().size());
        Credits cost = Credits.ofThousandths(hold.amount().thousandths() * capture.percent() / 100);
        if (cost.compareTo(HoldChanges.mostCapturable(wallet, hold.id(), rules)) <= 0) {
          t = HoldChanges.capture(wallet, hold.id(), cost, key, now, rules);
          captured = true;
        }
      } else if (act instanceof Release release && !wallet.holds().isEmpty()) {
        Hold hold = wallet.holds().get(release.pick() % wallet.holds().size());
        t = HoldChanges.release(wallet, hold.id(), key, now);
        assertTrue(t.wallet().hold(hold.id()).isEmpty(), where);
      } else if (act instanceof ChangePlan change) {
        t = wallet.changePlan(rules.catalog().plan(change.planId()), key, now, rules);
      }
      if (t != null) {
        wallet = t.wallet();
        ledger.addAll(t.entries());
      }

      Wallet after = wallet;
      assertTrue(after.invariantViolations().isEmpty(), () -> where + ": " + after.invariantViolations());
      if (rules.overdraft().equals(OverdraftPolicy.NONE)) {
        assertFalse(after.available().isNegative(), () -> where + ": available " + after.available() + " in " + after);
        assertTrue(after.debt().isZero(), () -> where + ": debt in " + after);
      }
      assertLedgerSumsToWallet(after, ledger, where);
    }
    Statistics.label("captured").collect(captured);
    Statistics.label("hold expired").collect(expired);
    Statistics.label("captured").coverage(c -> c.check(true).percentage(p -> p >= 20));
    Statistics.label("hold expired").coverage(c -> c.check(true).percentage(p -> p >= 20));
  }

  static void assertLedgerSumsToWallet(Wallet wallet, List<LedgerEntry> ledger, String where) {
    Map<String, Long> perGrant = new TreeMap<>();
    Map<String, Long> perHold = new TreeMap<>();
    long balance = 0;
    long held = 0;
    for (LedgerEntry entry : ledger) {
      long amount = entry.amount().thousandths();
      if (entry.kind().affectsBalance()) {
        balance += amount;
        perGrant.merge(entry.grant(), amount, Long::sum);
      } else {
        held += amount;
        perHold.merge(entry.grant(), amount, Long::sum);
      }
    }
    assertEquals(wallet.balance().thousandths(), balance, () -> where + ": ledger sums to the balance of " + wallet);
    assertEquals(wallet.held().thousandths(), held, () -> where + ": hold entries sum to the held credits of " + wallet);

    Map<String, Long> remaining = new TreeMap<>();
    remaining.put(LedgerEntry.SUBSCRIPTION, wallet.subscription().thousandths());
    remaining.put(LedgerEntry.OVERDRAFT, -wallet.debt().thousandths());
    for (PackGrant grant : wallet.packs()) {
      remaining.put(grant.id(), grant.remaining().thousandths());
    }
    TreeSet<String> names = new TreeSet<>(perGrant.keySet());
    names.addAll(remaining.keySet());
    for (String name : names) {
      assertEquals(remaining.getOrDefault(name, 0L), perGrant.getOrDefault(name, 0L),
          where + ": entries of grant '" + name + "' sum to what remains of it in " + wallet);
    }
    for (Map.Entry<String, Long> hold : perHold.entrySet()) {
      long open = wallet.hold(hold.getKey()).map(h -> h.amount().thousandths()).orElse(0L);
      assertEquals(open, hold.getValue(), () -> where + ": entries of hold '" + hold.getKey() + "'");
    }
  }
}
