package dev.creditgate.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The credits of {@link GateModel}'s wallet, in thousandths: the subscription credits left this
 * period, the grants with credits left (oldest first), the debt and the open holds (in reserve
 * order), with the rules that move them: spending subscription first, then grants oldest first;
 * every credit repaying debt first; holds cut back, the latest first, to what the wallet holds.
 * Mutable, not thread-safe.
 */
final class ModelBalances {
  long subscription;
  long debt;
  /** The grants with credits left, oldest first: ledger name to thousandths left. */
  final LinkedHashMap<String, Long> packs = new LinkedHashMap<>();
  /** The open holds, by reserve key, in reserve order. */
  final LinkedHashMap<String, GateModel.Hold> holds = new LinkedHashMap<>();

  ModelBalances() {}

  private ModelBalances(ModelBalances b) {
    subscription = b.subscription;
    debt = b.debt;
    packs.putAll(b.packs);
    holds.putAll(b.holds);
  }

  /** An independent copy. */
  ModelBalances copy() {
    return new ModelBalances(this);
  }

  long packTotal() {
    return packs.values().stream().mapToLong(Long::longValue).sum();
  }

  long held() {
    return holds.values().stream().mapToLong(GateModel.Hold::amount).sum();
  }

  long balance() {
    return subscription + packTotal() - debt;
  }

  long available() {
    return balance() - held();
  }

  /** With no overdraft, a cost is allowed when the available credits cover it. */
  boolean affords(long cost) {
    return cost <= Math.max(0, available());
  }

  /** Closes the holds whose time is up at {@code at}: at or after their expiry instant. */
  void expireHolds(Instant at) {
    holds.values().removeIf(h -> !h.expiresAt().isAfter(at));
  }

  /**
   * A new period's subscription: the unused subscription credits expire, {@code allowance} is
   * granted (repaying debt first), and holds the wallet no longer covers are cut back.
   */
  void startPeriod(long allowance) {
    subscription = 0;
    grantSubscription(allowance);
    trimHolds();
  }

  void grantSubscription(long credits) {
    subscription += credits;
    long repaid = Math.min(debt, subscription);
    subscription -= repaid;
    debt -= repaid;
  }

  /** Holds beyond what the wallet holds are cut back, the latest first. */
  private void trimHolds() {
    long excess = held() - Math.max(0, balance());
    List<String> ids = new ArrayList<>(holds.keySet());
    for (int i = ids.size() - 1; i >= 0 && excess > 0; i--) {
      GateModel.Hold hold = holds.get(ids.get(i));
      long cut = Math.min(excess, hold.amount());
      excess -= cut;
      if (cut == hold.amount()) {
        holds.remove(ids.get(i));
      } else {
        holds.put(ids.get(i), new GateModel.Hold(hold.operation(), hold.amount() - cut, hold.expiresAt()));
      }
    }
  }

  /** A grant named {@code grant}, repaying debt first; nothing is kept of a grant the debt took. */
  void credit(String grant, long credits) {
    long repaid = Math.min(debt, credits);
    debt -= repaid;
    if (credits - repaid > 0) {
      packs.put(grant, credits - repaid);
    }
  }

  /** Subscription first, then packs oldest first; what nothing covers becomes debt. */
  void spend(long amount) {
    long fromSubscription = Math.min(amount, subscription);
    subscription -= fromSubscription;
    long left = amount - fromSubscription;
    var it = packs.entrySet().iterator();
    while (left > 0 && it.hasNext()) {
      var grant = it.next();
      long taken = Math.min(left, grant.getValue());
      left -= taken;
      if (taken == grant.getValue()) {
        it.remove();
      } else {
        grant.setValue(grant.getValue() - taken);
      }
    }
    debt += left;
  }

  /** Takes {@code amount} back from {@code grant}, which has at least that much left. */
  void takeBack(String grant, long amount) {
    long remaining = packs.getOrDefault(grant, 0L);
    if (remaining == amount) {
      packs.remove(grant);
    } else {
      packs.put(grant, remaining - amount);
    }
  }
}
