package dev.creditgate.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The credits of {@link GateModel}'s wallet, in thousandths: the subscription credits left this
 * period, the grants with credits left (oldest first), the promotional grants with credits left,
 * the debt and the open holds (in reserve order), with the rules that move them: spending
 * subscription first, then promotions (priority 0 first, then the soonest expiry, then the oldest),
 * then grants oldest first; a scoped promotion only for the operation it names; every credit but a
 * promotion's repaying debt first; holds backed by the common credits (all but the scoped
 * promotions) and cut back, the latest first, to what those hold. Mutable, not thread-safe.
 */
final class ModelBalances {
  long subscription;
  long debt;
  /** The grants with credits left, oldest first: ledger name to thousandths left. */
  final LinkedHashMap<String, Long> packs = new LinkedHashMap<>();
  /** The open holds, by reserve key, in reserve order. */
  final LinkedHashMap<String, GateModel.Hold> holds = new LinkedHashMap<>();
  /** The promotional grants with credits left, by ledger name, in the order they were granted. */
  final LinkedHashMap<String, GateModel.Promo> promos = new LinkedHashMap<>();
  /** Every pack ever topped up, by ledger name, with the credits it granted. */
  final LinkedHashMap<String, Long> packGranted = new LinkedHashMap<>();
  /** The credits refunded of each pack, by ledger name. */
  final LinkedHashMap<String, Long> packRefunded = new LinkedHashMap<>();
  /** Each reversed pack, by ledger name, with what its reversal owed (what had been spent from it). */
  final LinkedHashMap<String, Long> reversedOwed = new LinkedHashMap<>();

  ModelBalances() {}

  private ModelBalances(ModelBalances b) {
    subscription = b.subscription;
    debt = b.debt;
    packs.putAll(b.packs);
    holds.putAll(b.holds);
    promos.putAll(b.promos);
    packGranted.putAll(b.packGranted);
    packRefunded.putAll(b.packRefunded);
    reversedOwed.putAll(b.reversedOwed);
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

  long promoTotal() {
    return promos.values().stream().mapToLong(GateModel.Promo::remaining).sum();
  }

  /** The promotions' credits that cannot pay for {@code operation}: those scoped to another one. */
  private long scopedElsewhere(String operation) {
    return promos.values().stream().filter(p -> !p.scope().isEmpty() && !p.scope().equals(operation))
        .mapToLong(GateModel.Promo::remaining).sum();
  }

  private long scopedTotal() {
    return promos.values().stream().filter(p -> !p.scope().isEmpty()).mapToLong(GateModel.Promo::remaining).sum();
  }

  long balance() {
    return subscription + packTotal() + promoTotal() - debt;
  }

  long available() {
    return balance() - held();
  }

  /** What a charge of {@code operation} may spend: the available credits but promotions scoped elsewhere. */
  long availableFor(String operation) {
    return available() - scopedElsewhere(operation);
  }

  /** What backs holds, and what a reserve may take: the available credits but every scoped promotion. */
  long common() {
    return available() - scopedTotal();
  }

  /** With no overdraft, a charge is allowed when the credits available to its operation cover it. */
  boolean affords(String operation, long cost) {
    return cost <= Math.max(0, availableFor(operation));
  }

  /** A reserve is allowed when the common credits cover it: a scoped promotion never backs a hold. */
  boolean affordsHold(long cost) {
    return cost <= Math.max(0, common());
  }

  /** The promotions in their spend order: priority 0 first, then the soonest expiry, then the oldest. */
  List<String> promoOrder() {
    List<String> order = new ArrayList<>(promos.keySet());
    order.sort((a, b) -> {
      GateModel.Promo pa = promos.get(a);
      GateModel.Promo pb = promos.get(b);
      int c = Integer.compare(pa.priority(), pb.priority());
      c = c != 0 ? c : pa.expiresAt().compareTo(pb.expiresAt());
      c = c != 0 ? c : pa.grantedAt().compareTo(pb.grantedAt());
      return c != 0 ? c : a.compareTo(b);
    });
    return order;
  }

  /**
   * Promotions due by {@code at} expire, the soonest first, each at its time: the holds due by then
   * close first; what is left of it goes; if it paid for every operation, the holds the common
   * credits no longer cover are cut back.
   */
  void expirePromos(Instant at) {
    while (true) {
      String due = null;
      for (var e : promos.entrySet()) {
        if (!e.getValue().expiresAt().isAfter(at)
            && (due == null || e.getValue().expiresAt().isBefore(promos.get(due).expiresAt()))) {
          due = e.getKey();
        }
      }
      if (due == null) {
        return;
      }
      GateModel.Promo expired = promos.remove(due);
      expireHolds(expired.expiresAt());
      if (expired.scope().isEmpty()) {
        trimHolds();
      }
    }
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

  /** Holds beyond what the common credits hold are cut back, the latest first. */
  void trimHolds() {
    long excess = held() - Math.max(0, balance() - scopedTotal());
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

  /**
   * Subscription first, then the promotions that may pay for {@code operation} in their order,
   * then packs oldest first; what nothing covers becomes debt. The common credits taken never eat
   * into what the open holds reserve while a scoped promotion of the operation has credits: that
   * much comes from the scoped promotions, wherever they stand in the order.
   */
  void spend(String operation, long amount) {
    long scopedHere = scopedTotal() - scopedElsewhere(operation);
    long owed = Math.min(scopedHere, Math.max(0, amount - Math.max(0, common())));
    long fromSubscription = Math.min(Math.max(0, amount - owed), subscription);
    subscription -= fromSubscription;
    long left = amount - fromSubscription;
    for (String id : promoOrder()) {
      GateModel.Promo p = promos.get(id);
      boolean scoped = !p.scope().isEmpty();
      if (left == 0 || scoped && !p.scope().equals(operation)) {
        continue;
      }
      long taken = scoped ? Math.min(left, p.remaining()) : Math.min(Math.max(0, left - owed), p.remaining());
      if (scoped) {
        owed = Math.max(0, owed - taken);
      }
      left -= taken;
      if (taken == p.remaining()) {
        promos.remove(id);
      } else if (taken > 0) {
        promos.put(id, p.withRemaining(p.remaining() - taken));
      }
    }
    var it = packs.entrySet().iterator();
    while (left > 0 && it.hasNext()) {
      var grant = it.next();
      long taken = Math.min(Math.max(0, left - owed), grant.getValue());
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
  /**
   * Reverses the pack {@code grant}: what remains of it goes, and what was spent of it (granted,
   * less refunded, less remaining) becomes debt, repaid at once from the subscription credits and
   * then the packs, oldest first (never from promotions); the holds left uncovered are cut back.
   * Returns what the balance lost.
   */
  long reverse(String grant) {
    long remaining = packs.getOrDefault(grant, 0L);
    long owed = Math.max(0, packGranted.get(grant) - packRefunded.getOrDefault(grant, 0L) - remaining);
    packs.remove(grant);
    debt += owed;
    long repaid = Math.min(debt, subscription);
    subscription -= repaid;
    debt -= repaid;
    var it = packs.entrySet().iterator();
    while (debt > 0 && it.hasNext()) {
      var p = it.next();
      long taken = Math.min(debt, p.getValue());
      debt -= taken;
      if (taken == p.getValue()) {
        it.remove();
      } else {
        p.setValue(p.getValue() - taken);
      }
    }
    trimHolds();
    reversedOwed.put(grant, owed);
    return remaining + owed;
  }

  void takeBack(String grant, long amount) {
    packRefunded.merge(grant, amount, Long::sum);
    long remaining = packs.getOrDefault(grant, 0L);
    if (remaining == amount) {
      packs.remove(grant);
    } else {
      packs.put(grant, remaining - amount);
    }
  }
}
