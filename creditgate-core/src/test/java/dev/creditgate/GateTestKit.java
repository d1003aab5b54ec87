package dev.creditgate;

import java.util.stream.Stream;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.EventId;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.EventSink;
import dev.creditgate.spi.WalletStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Small helpers shared by the gate's example-based tests. */
final class GateTestKit {
  private GateTestKit() {}

  /** The instant every wallet in these tests is opened at, unless a test says otherwise. */
  static final Instant T0 = Instant.parse("2025-01-15T09:00:00Z");

  /** A test-only operation that costs exactly one thousandth of a credit per unit. */
  static final Operation UNIT = Operation.of("test-unit");

  /** The default cost table plus {@link #UNIT}, so a test can spend any exact amount. */
  static CostTable defaultCostsPlusUnit() {
    return CostTable.defaults().toBuilder().fixed(UNIT, Credits.ofThousandths(1)).build();
  }

  /** The whole ledger of an account, in commit order. */
  static List<LedgerEntry> ledger(WalletStore store, AccountId account) {
    List<LedgerEntry> list = new ArrayList<>();
    try (Stream<LedgerEntry> read = store.readLedger(account, Instant.MIN, Instant.MAX)) {
      read.forEachOrdered(list::add);
    }
    return list;
  }

  /** The sum of the entries that change the balance: conservation says it equals the balance. */
  static Credits ledgerBalance(List<LedgerEntry> entries) {
    Credits sum = Credits.ZERO;
    for (LedgerEntry entry : entries) {
      if (entry.kind().affectsBalance()) {
        sum = sum.plus(entry.amount());
      }
    }
    return sum;
  }

  /**
   * {@code w} but for how many events it recorded: a wallet rolled over several missed renewals at
   * once announces them in one renewal, so its count differs from one rolled period by period.
   */
  static Wallet withoutEventCount(Wallet w) {
    return new Wallet(w.account(), w.planId(), w.renewalPlanId(), w.schedule(), w.period(), w.subscription(),
        w.packs(), w.holds(), w.debt(), w.reference(), w.warningsRaised(), w.refunded().charges(), w.members(), 0, w.usage());
  }

  /** An event sink that keeps everything it is given; thread-safe. */
  static final class RecordingSink implements EventSink {
    final List<WalletEvent> events = new CopyOnWriteArrayList<>();

    final List<EventId> ids = new CopyOnWriteArrayList<>();

    @Override
    public void publish(EventId id, WalletEvent event) {
      ids.add(id);
      events.add(event);
    }

    <E extends WalletEvent> List<E> of(Class<E> type) {
      List<E> found = new ArrayList<>();
      for (WalletEvent event : events) {
        if (type.isInstance(event)) {
          found.add(type.cast(event));
        }
      }
      return found;
    }

    /** The percents of the threshold warnings published for {@code account}, in order. */
    List<Integer> warnings(AccountId account) {
      List<Integer> percents = new ArrayList<>();
      for (WalletEvent.ThresholdCrossed t : of(WalletEvent.ThresholdCrossed.class)) {
        if (t.account().equals(account)) {
          percents.add(t.percent());
        }
      }
      return percents;
    }

    void clear() {
      events.clear();
    }
  }
}
