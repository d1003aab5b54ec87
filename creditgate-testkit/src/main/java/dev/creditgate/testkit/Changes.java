package dev.creditgate.testkit;



import dev.creditgate.CreditGate;
import dev.creditgate.CreditGateBuilder;
import dev.creditgate.WalletStatus;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletState;
import dev.creditgate.spi.WalletTransaction;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Real commits, made without touching the store under test: a gate runs real operations on a
 * scratch in-memory store that holds a copy of a stored wallet, and every commit it hands that
 * scratch store is kept, aimed at the version the store under test holds. So the suite commits
 * what the gate would commit, through the public API only, and two commits "from the same version"
 * are two scratch runs from the same stored wallet.
 */
final class Changes {
  private Changes() {}

  /** The commit that opens {@code account}'s wallet at {@code at}: expected version 0. */
  static Commit opening(AccountId account, Instant at) {
    return one(account, Optional.empty(), UnaryOperator.identity(),
        gate -> gate.openWallet(account, Fixtures.ZONE, at));
  }

  /** The commit of a Small pack bought with {@code paymentId} (its ledger key and its record's key). */
  static Commit topUp(AccountId account, StoredWallet from, String paymentId, Instant at) {
    return topUp(account, from, "small", paymentId, at);
  }

  static Commit topUp(AccountId account, StoredWallet from, String pack, String paymentId, Instant at) {
    return one(account, from, gate -> gate.topUp(account, pack, IdempotencyKey.of(paymentId), at));
  }

  /** The one commit {@code change} makes from {@code from}, with the gate's default settings. */
  static Commit one(AccountId account, StoredWallet from, Consumer<CreditGate> change) {
    return one(account, Optional.of(from), UnaryOperator.identity(), change);
  }

  /**
   * The one commit {@code change} makes from {@code from} (or from no wallet), on a gate configured
   * by {@code settings}.
   *
   * @throws IllegalStateException if the change made no commit or several
   */
  static Commit one(AccountId account, Optional<StoredWallet> from, UnaryOperator<CreditGateBuilder> settings,
      Consumer<CreditGate> change) {
    List<Commit> commits = all(account, from, settings, change);
    if (commits.size() != 1) {
      throw new IllegalStateException("the change was expected to make one commit but made " + commits.size());
    }
    return commits.get(0);
  }

  /**
   * Every commit {@code script} makes, in order, from {@code from} (or from no wallet: then the
   * first is usually the opening), each aimed at the version it replaces in a store holding
   * {@code from}. Committed in order to that store, they all land.
   */
  static List<Commit> all(AccountId account, Optional<StoredWallet> from, UnaryOperator<CreditGateBuilder> settings,
      Consumer<CreditGate> script) {
    Recording scratch = new Recording();
    long offset = 0;
    if (from.isPresent()) {
      if (!scratch.inner.commit(new Commit(account, 0, from.get().state(), List.of(), List.of(), List.of(), Optional.empty()))) {
        throw new IllegalStateException("a fresh scratch store refused the wallet of " + account);
      }
      offset = from.get().version() - 1;
    }
    script.accept(settings.apply(CreditGate.builder(scratch)).build());
    List<Commit> aimed = new ArrayList<>();
    for (Commit c : scratch.landed) {
      aimed.add(aimedAt(c, c.expectedVersion() + offset));
    }
    return aimed;
  }

  /** {@code c} as a commit from {@code version}. */
  static Commit aimedAt(Commit c, long version) {
    return new Commit(c.account(), version, c.state(), c.entries(), c.records(), c.events(), c.nextHoldExpiry());
  }

  /** {@code c} with {@code records} in place of its own. */
  static Commit withRecords(Commit c, List<IdempotencyRecord> records) {
    return new Commit(c.account(), c.expectedVersion(), c.state(), c.entries(), records, c.events(), c.nextHoldExpiry());
  }

  /** Every ledger entry of {@code commits}, in commit order. */
  static List<LedgerEntry> entriesOf(List<Commit> commits) {
    List<LedgerEntry> entries = new ArrayList<>();
    for (Commit c : commits) {
      entries.addAll(c.entries());
    }
    return entries;
  }

  /** What a gate reports at {@code at} for a wallet in {@code state}, on a store of its own. */
  static WalletStatus statusOf(AccountId account, WalletState state, Instant at) {
    InMemoryWalletStore scratch = InMemoryWalletStore.create();
    if (!scratch.commit(new Commit(account, 0, state, List.of(), List.of(), List.of(), Optional.empty()))) {
      throw new IllegalStateException("a fresh scratch store refused the wallet of " + account);
    }
    return CreditGate.builder(scratch).build().status(account, at);
  }

  /**
   * A scratch store that offers only the conditional commit, so the gate hands it every change as
   * a {@link Commit}, and that keeps each commit that landed.
   */
  private static final class Recording extends ForwardingWalletStore {
    final InMemoryWalletStore inner;
    final List<Commit> landed = Collections.synchronizedList(new ArrayList<>());

    Recording() {
      this(InMemoryWalletStore.create());
    }

    private Recording(InMemoryWalletStore inner) {
      super(inner);
      this.inner = inner;
    }

    @Override
    protected void committed(Commit commit) {
      landed.add(commit);
    }

    @Override
    public Optional<WalletTransaction> transaction() {
      return Optional.empty();
    }
  }
}
