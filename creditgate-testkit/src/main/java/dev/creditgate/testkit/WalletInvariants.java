package dev.creditgate.testkit;

import static dev.creditgate.testkit.InFlightWork.ACCOUNT;
import static dev.creditgate.testkit.LedgerSums.balanceByGrant;
import static dev.creditgate.testkit.LedgerSums.heldByHold;
import static dev.creditgate.testkit.LedgerSums.nonZero;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.Advice;
import dev.creditgate.CreditGate;
import dev.creditgate.Forecast;
import dev.creditgate.LedgerReplay;
import dev.creditgate.WalletStatus;
import dev.creditgate.model.Credits;
import dev.creditgate.model.LedgerEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The invariants of an {@link InFlightWork} chain, checked after every step; each public method of
 * {@code InFlightWork} that names one documents what it states. They read the wallet through the
 * public API only (the gate's status, replay and ledger) and compare it with the chain's model: as
 * the wallet logically stands now, and as of the last commit.
 */
final class WalletInvariants {
  private WalletInvariants() {}

  /** See {@link InFlightWork#statusEqualsModel()}. */
  static void statusEqualsModel(InFlightWork s) {
    s.roll();
    GateModel model = s.model;
    WalletStatus status = s.gate().status(ACCOUNT, s.now);
    assertEquals(
        List.of(model.plan(), model.renewalPlan(), model.balance(), model.subscription(), model.packTotal(),
            model.held(), model.debt(), model.available(), model.nextRenewal()),
        List.of(status.plan(), status.renewalPlan(), status.balance().thousandths(),
            status.subscription().thousandths(), status.packs().thousandths(), status.held().thousandths(),
            status.debt().thousandths(), status.available().thousandths(), status.nextRenewal()),
        "status at " + s.now + ": plan, renewal plan, balance, subscription, packs, held, debt, available,"
            + " next renewal (thousandths)");
    assertEquals(new ArrayList<>(model.packs().entrySet()), lots(status),
        "status at " + s.now + ": pack lots, oldest first");
    assertEquals(promotions(model), promotions(status), "status at " + s.now + ": promotions, in the spend order");
    ModelAutoTopUp auto = model.autoTopUp();
    assertEquals(auto.rule == null ? Optional.empty() : Optional.of(auto.status(model.periodStart(model.period()))),
        status.autoTopUp().map(CallExpectations::autoTopUpFields), "status at " + s.now + ": auto top-up (on, open"
            + " request, requests and cents this period, declines in a row, back-off end, refused ever, last"
            + " declined, switched off)");
  }

  /** Each promotion as its grant, remaining thousandths, expiry, scope and priority, in the spend order. */
  private static List<List<Object>> promotions(GateModel model) {
    List<List<Object>> promotions = new ArrayList<>();
    model.promotions().forEach((grant, p) -> promotions.add(List.of(grant, p.remaining(), p.expiresAt(),
        p.scope(), p.priority())));
    return promotions;
  }

  private static List<List<Object>> promotions(WalletStatus s) {
    List<List<Object>> promotions = new ArrayList<>();
    for (WalletStatus.PromotionLot lot : s.promotions()) {
      promotions.add(List.of(lot.grant(), lot.remaining().thousandths(), lot.expiresAt(),
          lot.scope().isEmpty() ? "" : lot.scope().get(0).id(), lot.priority()));
    }
    return promotions;
  }

  private static List<Map.Entry<String, Long>> lots(WalletStatus s) {
    List<Map.Entry<String, Long>> lots = new ArrayList<>();
    for (WalletStatus.PackLot lot : s.packLots()) {
      lots.add(Map.entry(lot.grant(), lot.remaining().thousandths()));
    }
    return lots;
  }

  /** See {@link InFlightWork#forecastAndAdviceAgreeWithTheModel()}. */
  static void forecastAndAdviceAgreeWithTheModel(InFlightWork s) {
    s.roll();
    GateModel model = s.model;
    Forecast forecast = s.gate().forecast(ACCOUNT, s.now);
    // The runway counts neither scoped credits nor the promotional credits the rate cannot reach
    // before their expiry (the subscription credits go first, then promotions in their order).
    long counted = model.available();
    long before = model.subscription();
    for (GateModel.Promo p : model.promotions().values()) {
      if (!p.scope().isEmpty()) {
        counted -= p.remaining();
      } else if (forecast instanceof Forecast.Projected f) {
        long reach = java.math.BigInteger.valueOf(f.spent().thousandths())
            .multiply(java.math.BigInteger.valueOf(java.time.Duration.between(s.now, p.expiresAt()).toNanos()))
            .divide(java.math.BigInteger.valueOf(f.window().toNanos())).longValueExact() - before;
        reach = Math.max(0, Math.min(reach, p.remaining()));
        counted -= p.remaining() - reach;
        before += reach;
      }
    }
    assertEquals(List.of(counted, model.nextRenewal()),
        List.of(forecast.available().thousandths(), forecast.nextRenewal()),
        "forecast at " + s.now + ": credits counted, next renewal");
    long charged = model.charged().values().stream().mapToLong(Long::longValue).sum();
    if (forecast instanceof Forecast.Projected p) {
      assertTrue(p.spent().isPositive() && p.spent().thousandths() <= charged,
          () -> "spent " + p.spent() + " in the window, charged " + charged + " in all");
      assertEquals(p.runsOutBeforeRenewal(), p.neededToReachRenewal().isPositive(), p::toString);
      assertFalse(p.runsOutAt().isBefore(s.now), p::toString);
    }
    Advice advice = s.gate().advice(ACCOUNT, s.now);
    assertEquals(forecast, advice.forecast(), "the advice rests on the forecast");
    if (advice instanceof Advice.Upgrade up) {
      assertEquals(model.plan(), up.from());
      assertFalse(up.periods().isEmpty());
      assertEquals(s.now, up.periods().get(0).end(), "the period in force, up to now");
    } else if (advice instanceof Advice.BuyPack buy) {
      assertTrue(buy.pack().map(pack -> pack.credits().compareTo(buy.gap()) >= 0).orElse(buy.customPrice().isPresent()),
          buy::toString);
    }
  }

  /** See {@link InFlightWork#ledgerSumsToStoredBalances()}. */
  static void ledgerSumsToStoredBalances(InFlightWork s) {
    CreditGate gate = s.gate();
    GateModel committed = s.committed;
    List<LedgerEntry> ledger = s.ledger();
    Map<String, Long> expectedBalance = new HashMap<>(committed.packs());
    committed.promotions().forEach((grant, p) -> expectedBalance.put(grant, p.remaining()));
    expectedBalance.put(LedgerEntry.SUBSCRIPTION, committed.subscription());
    expectedBalance.put(LedgerEntry.OVERDRAFT, -committed.debt());
    Map<String, Long> expectedHeld = new HashMap<>();
    committed.holds().forEach((id, h) -> expectedHeld.put(id, h.amount()));
    Map<String, Long> balanceByGrant = balanceByGrant(ledger);
    assertEquals(nonZero(expectedBalance), balanceByGrant, "ledger sum per grant vs the model's");
    assertEquals(nonZero(expectedHeld), heldByHold(ledger), "ledger sum per hold vs the model's");
    assertEquals(committed.balance(), balanceByGrant.values().stream().mapToLong(Long::longValue).sum(),
        "ledger balance sum");

    LedgerReplay replay = gate.replay(ACCOUNT);
    assertTrue(replay.isConsistent(), "replay: " + replay);
    assertEquals(List.of((long) ledger.size(), committed.balance(), committed.balance(), committed.held(),
            committed.held()),
        List.of(replay.entries(), replay.ledgerBalance().thousandths(), replay.walletBalance().thousandths(),
            replay.ledgerHeld().thousandths(), replay.walletHeld().thousandths()),
        "replay: entries, ledger balance, stored balance, ledger held, stored held");

    // A commit rolls the wallet forward to its instant first, so nothing is due then: the status at
    // that instant is the stored wallet itself.
    WalletStatus stored = gate.status(ACCOUNT, s.committedAt);
    assertEquals(List.of(committed.subscription(), committed.packTotal(), committed.held(), committed.debt()),
        List.of(stored.subscription().thousandths(), stored.packs().thousandths(), stored.held().thousandths(),
            stored.debt().thousandths()), "stored wallet (status at " + s.committedAt + "): subscription, packs,"
            + " held, debt");
    assertEquals(new ArrayList<>(committed.packs().entrySet()), lots(stored), "stored wallet: pack lots");
    assertEquals(promotions(committed), promotions(stored), "stored wallet: promotions");
  }

  /** See {@link InFlightWork#heldCreditsNeverSpentTwice()}. */
  static void heldCreditsNeverSpentTwice(InFlightWork s) {
    s.roll();
    WalletStatus status = s.gate().status(ACCOUNT, s.now);
    assertEquals(s.model.held(), status.held().thousandths(), "held = the sum of the model's open holds");
    // Without an overdraft only a reversal owes credits, and only what was spent of its pack.
    long owedByReversals = s.model.reversedOwed().values().stream().mapToLong(Long::longValue).sum();
    assertTrue(status.debt().thousandths() <= owedByReversals,
        "a wallet without overdraft fell into debt beyond what reversals owe (" + status + ")");
    assertTrue(status.available().thousandths() >= -status.debt().thousandths(),
        "available credits went below the debt: held credits are spent twice (" + status + ")");
  }

  /** See {@link InFlightWork#walletKeepsItsInvariants()}. */
  static void walletKeepsItsInvariants(InFlightWork s) {
    List<String> problems = new ArrayList<>();
    problems.addAll(violations("stored", s.gate().status(ACCOUNT, s.committedAt)));
    problems.addAll(violations("now", s.gate().status(ACCOUNT, s.now)));
    heldByHold(s.ledger()).forEach((hold, amount) -> {
      if (amount < 0) {
        problems.add("hold " + hold + " is not positive: " + amount);
      }
    });
    assertEquals(List.of(), problems);
  }

  private static List<String> violations(String which, WalletStatus s) {
    List<String> problems = new ArrayList<>();
    if (s.subscription().isNegative()) {
      problems.add(which + ": negative subscription credits " + s.subscription());
    }
    long lots = 0;
    for (WalletStatus.PackLot lot : s.packLots()) {
      lots += lot.remaining().thousandths();
      if (!lot.remaining().isPositive() || lot.remaining().compareTo(lot.granted()) > 0) {
        problems.add(which + ": grant " + lot.grant() + " remaining " + lot.remaining() + " outside (0, granted "
            + lot.granted() + "]");
      }
    }
    if (s.debt().isNegative()) {
      problems.add(which + ": negative debt " + s.debt());
    }
    if (s.debt().isPositive() && (s.subscription().isPositive() || !s.packLots().isEmpty())) {
      problems.add(which + ": debt " + s.debt() + " left unpaid beside spendable credits");
    }
    if (s.held().isNegative()) {
      problems.add(which + ": negative held credits " + s.held());
    }
    if (lots != s.packs().thousandths()) {
      problems.add(which + ": pack lots sum to " + lots + " thousandths, packs say " + s.packs());
    }
    for (WalletStatus.PromotionLot lot : s.promotions()) {
      if (!lot.remaining().isPositive() || lot.remaining().compareTo(lot.granted()) > 0) {
        problems.add(which + ": promotion " + lot.grant() + " remaining " + lot.remaining() + " outside (0, granted "
            + lot.granted() + "]");
      }
    }
    if (!s.balance().equals(s.subscription().plus(s.packs()).plus(s.promotionCredits()).minus(s.debt()))) {
      problems.add(which + ": balance " + s.balance() + " is not subscription + packs + promotions - debt");
    }
    if (!s.available().equals(s.balance().minus(s.held()))) {
      problems.add(which + ": available " + s.available() + " is not balance - held");
    }
    return problems;
  }
}
