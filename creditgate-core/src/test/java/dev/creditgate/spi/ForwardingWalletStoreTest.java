package dev.creditgate.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.creditgate.CreditGate;
import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ForwardingWalletStoreTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final AccountId MAYA = AccountId.of("maya");

  /** Records the keys of every commit that landed; optionally hides the wrapped transaction. */
  private static final class Watching extends ForwardingWalletStore {
    final List<String> landed = new ArrayList<>();
    private final boolean commitOnly;

    Watching(WalletStore store, boolean commitOnly) {
      super(store);
      this.commitOnly = commitOnly;
    }

    @Override
    public Optional<WalletTransaction> transaction() {
      return commitOnly ? Optional.empty() : super.transaction();
    }

    @Override
    protected void committed(Commit commit) {
      landed.add(commit.records().isEmpty() ? "(no key)" : commit.records().get(0).key().value());
    }
  }

  @ParameterizedTest(name = "commit only: {0}")
  @ValueSource(booleans = {false, true})
  void everyCommitThatLandsIsReportedOnceWhicheverShapeCarriedIt(boolean commitOnly) {
    Watching store = new Watching(InMemoryWalletStore.create(), commitOnly);
    CreditGate gate = CreditGate.builder(store).build();
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 2, IdempotencyKey.of("img-1"), T0);
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 2, IdempotencyKey.of("img-1"), T0);    // a replay
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 100, IdempotencyKey.of("img-2"), T0);  // denied
    gate.topUp(MAYA, "small", IdempotencyKey.of("pay-1"), T0);

    assertEquals(List.of("(no key)", "img-1", "pay-1"), store.landed);
  }

  @Test
  void aNullDelegateIsRefusedNamingIt() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> new Watching(null, false));
    assertEquals(Optional.of("delegate"), e.argument());
  }
}
