package dev.creditgate.examples;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link WalletStore} decorator: it leaves storage to another store and copies every committed
 * idempotency record, as text, to an audit trail (a log, a topic, a warehouse). Built on
 * {@link ForwardingWalletStore}, it sees every commit that lands, whichever write shape carried it.
 * Idempotency records keep their answer as an object in memory; {@link IdempotencyRecord#result()}
 * encodes it only when someone asks, as here, so a plain in-memory store never pays for the text.
 */
public final class AuditedStore extends ForwardingWalletStore {
  private final Consumer<String> audit;

  AuditedStore(WalletStore store, Consumer<String> audit) {
    super(store);
    this.audit = audit;
  }

  @Override
  protected void committed(Commit commit) {
    for (IdempotencyRecord record : commit.records()) {
      audit.accept(record.key().value() + " [" + record.request() + "] -> " + record.result());
    }
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
