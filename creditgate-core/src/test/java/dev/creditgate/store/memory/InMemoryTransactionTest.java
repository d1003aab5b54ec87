package dev.creditgate.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.creditgate.CreditGate;
import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.StoredWallet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryTransactionTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

  @Test
  void anAttemptOnOneAccountThatCommitsAnothersWalletIsRefusedAndWritesNothing() {
    InMemoryWalletStore store = InMemoryWalletStore.create();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = AccountId.of("maya");
    AccountId noah = AccountId.of("noah");
    gate.openWallet(maya, ZoneOffset.UTC, T0);
    gate.openWallet(noah, ZoneOffset.UTC, T0);
    StoredWallet mayas = store.load(maya).orElseThrow();
    StoredWallet noahs = store.load(noah).orElseThrow();

    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> store.transaction().orElseThrow().attempt(maya, IdempotencyKey.of("k"), (stored, recorded) ->
            Mutation.Outcome.commit("moved", new Commit(noah, noahs.version(), mayas.state(), List.of(), List.of(),
                List.of(), Optional.empty()))));

    assertEquals(Optional.of("noah"), e.value());
    assertEquals(noahs, store.load(noah).orElseThrow(), "noah's wallet is untouched");
    assertEquals(mayas, store.load(maya).orElseThrow(), "maya's wallet is untouched");
  }
}
