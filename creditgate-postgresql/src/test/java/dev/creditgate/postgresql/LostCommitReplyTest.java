package dev.creditgate.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.postgresql.FaultyDataSource.Fault;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A commit lands, the connection breaks before its reply, and the gate finds the work done: a
 * charge's warning, kept in the outbox by that commit, is still delivered once; a hold sweep still
 * counts the wallet it changed.
 */
class LostCommitReplyTest {
  private static final String SCHEMA = "creditgate_lost_reply";
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

  @ParameterizedTest
  @EnumSource(Shape.class)
  void aWarningWhoseCommitLandedBeforeTheConnectionBrokeIsPublishedOnce(Shape shape) {
    TestDatabase db = TestDatabase.get();
    db.recreate(SCHEMA);
    FaultyDataSource faulty = new FaultyDataSource(db.unpooled());
    List<WalletEvent> events = new CopyOnWriteArrayList<>();
    CreditGate gate = CreditGate.builder(shape.configure(TestDatabase.store(faulty, SCHEMA)).build())
        .eventSink((id, event) -> events.add(event)).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZoneId.of("UTC"), T0);
    for (int i = 0; i < 11; i++) {
      gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-" + i), T0); // 8 credits left
    }
    events.clear();

    faulty.arm(2, Fault.BREAK_AFTER_COMMIT, 1); // the charge's write, sent with its COMMIT
    assertTrue(gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-crossing"), T0).isAllowed());

    assertEquals(1, faulty.injectedCount());
    assertEquals(List.of(20), events.stream().filter(WalletEvent.ThresholdCrossed.class::isInstance)
        .map(e -> ((WalletEvent.ThresholdCrossed) e).percent()).toList(), "every event: " + events);
    db.drop(SCHEMA);
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void aSweepWhoseCommitLandedBeforeTheConnectionBrokeCountsTheWallet(Shape shape) {
    TestDatabase db = TestDatabase.get();
    db.recreate(SCHEMA);
    FaultyDataSource faulty = new FaultyDataSource(db.unpooled());
    CreditGate gate = CreditGate.builder(shape.configure(TestDatabase.store(faulty, SCHEMA)).build())
        .build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZoneId.of("UTC"), T0);
    gate.reserve(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("hold-1"), T0);

    // The sweep's connections: the list of wallets due (1 statement), then maya's attempt: its read
    // (with group commit: the batch's locks and reads), then its write sent with the COMMIT.
    faulty.arm(1, 2, Fault.BREAK_AFTER_COMMIT, 1);
    int changed = gate.expireHolds(T0.plusSeconds(3600));

    assertEquals(1, faulty.injectedCount());
    assertEquals(0, gate.status(maya, T0.plusSeconds(3600)).held().thousandths(), "the hold expired");
    assertEquals(1, changed, "the sweep changed maya's wallet");
  }
}
