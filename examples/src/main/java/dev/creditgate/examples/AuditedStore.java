package dev.creditgate.examples;

import java.util.function.BiFunction;

import java.util.stream.Stream;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.WalletTransaction;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link WalletStore} decorator: it leaves storage to another store and copies every committed
 * idempotency record, as text, to an audit trail (a log, a topic, a warehouse). Idempotency records
 * keep their answer as an object in memory; {@link IdempotencyRecord#result()} encodes it only when
 * someone asks, as here, so a plain in-memory store never pays for the text.
 */
public final class AuditedStore implements WalletStore {
  private final WalletStore store;
  private final Consumer<String> audit;

  AuditedStore(WalletStore store, Consumer<String> audit) {
    this.store = store;
    this.audit = audit;
  }

  /** The wrapped store's transaction, if it has one, wrapped so that what it commits is audited too. */
  @Override
  public Optional<WalletTransaction> transaction() {
    return store.transaction().map(inner -> new WalletTransaction() {
      @Override
      public <R> Optional<R> attempt(AccountId account, IdempotencyKey key, Mutation<R> mutation) {
        Commit[] decided = new Commit[1];
        Optional<R> result = inner.attempt(account, key, (stored, record) -> {
          Mutation.Outcome<R> outcome = mutation.decide(stored, record);
          decided[0] = outcome.commit();
          return outcome;
        });
        // A present result means the attempt's commit (if it had one) landed.
        if (result.isPresent() && decided[0] != null) {
          decided[0].records().forEach(AuditedStore.this::audit);
        }
        return result;
      }
    });
  }

  @Override
  public boolean commit(Commit commit) {
    boolean committed = store.commit(commit);
    if (committed) {
      commit.records().forEach(this::audit);
    }
    return committed;
  }

  private void audit(IdempotencyRecord record) {
    audit.accept(record.key().value() + " [" + record.request() + "] -> " + record.result());
  }

  @Override
  public Optional<StoredWallet> load(AccountId account) {
    return store.load(account);
  }

  @Override
  public Optional<IdempotencyRecord> findRecord(AccountId account, IdempotencyKey key) {
    return store.findRecord(account, key);
  }

  @Override
  public Stream<LedgerEntry> readLedger(AccountId account, Instant from, Instant to) {
    return store.readLedger(account, from, to);
  }

  @Override
  public <R> Optional<R> snapshot(AccountId account, BiFunction<StoredWallet, Stream<LedgerEntry>, R> reader) {
    return store.snapshot(account, reader);
  }

  @Override
  public List<AccountId> accountsWithHoldsExpiredBy(Instant at, int limit) {
    return store.accountsWithHoldsExpiredBy(at, limit);
  }

  public static void main(String[] args) {
    List<String> trail = new ArrayList<>();
    AuditedStore store = new AuditedStore(InMemoryWalletStore.create(), trail::add);
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = AccountId.of("maya");
    Instant now = Instant.parse("2026-05-01T12:00:00Z");
    gate.openWallet(maya, ZoneOffset.UTC, now);

    gate.charge(maya, Operation.AI_CHAT_MESSAGE, 2_000, IdempotencyKey.of("msg-1"), now);
    gate.charge(maya, Operation.AI_CHAT_MESSAGE, 2_000, IdempotencyKey.of("msg-1"), now);    // a retry
    trail.forEach(line -> System.out.println("audit: " + line));
    System.out.println(trail.size() + " record audited for 2 calls with one key");
  }
}
