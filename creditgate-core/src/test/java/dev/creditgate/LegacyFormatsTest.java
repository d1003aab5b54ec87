package dev.creditgate;



import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.WalletTransaction;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Records written by 0.1 (a request as free text, an answer without a format tag) are still
 * answered after the upgrade: a repeated call gets its first result, another call under the key is a
 * conflict, and a refund finds the charge or capture 0.1 recorded.
 */
class LegacyFormatsTest {
  private static final Instant T0 = GateTestKit.T0;
  private static final AccountId ACCOUNT = AccountId.of("ada");
  private static final AccountId CAROL = AccountId.of("carol");

  private static IdempotencyKey key(String value) {
    return IdempotencyKey.of(value);
  }

  /** The text 0.1's CreditGate built for each request, copied from its code by hand. */
  @Test
  void legacyTextIsExactlyWhat01Recorded() {
    Map<Request, String> texts = new LinkedHashMap<>();
    texts.put(new Request.Charge(Operation.AI_CHAT_MESSAGE, 1_800, Optional.empty()), "charge ai-chat-message x1800");
    texts.put(new Request.Charge(Operation.GENERATE_IMAGE, 2, Optional.of(CAROL)), "charge generate-image x2 by carol");
    texts.put(new Request.Reserve(Operation.GENERATE_IMAGE, 1, Optional.empty()), "reserve generate-image x1");
    texts.put(new Request.Reserve(Operation.AI_CHAT_MESSAGE, 9, Optional.of(CAROL)), "reserve ai-chat-message x9 by carol");
    texts.put(new Request.Capture(key("h-1"), 1_200, Outcome.succeeded()), "capture h-1 x1200 SUCCEEDED ");
    texts.put(new Request.Capture(key("h-2"), 0, Outcome.platformError()), "capture h-2 x0 PLATFORM_ERROR ");
    texts.put(new Request.Capture(key("h-3"), 5, Outcome.retryOf(key("h-1"))), "capture h-3 x5 RETRY h-1");
    texts.put(new Request.Release(key("h-1")), "release h-1");
    texts.put(new Request.TopUpPack("small"), "top-up pack small");
    texts.put(new Request.TopUpCustom(Money.usd("49.99")), "top-up custom 4999 USD");
    texts.put(new Request.ChangePlan("pro"), "change plan pro");
    texts.put(new Request.RefundPack(key("pay-1"), Credits.of(50)), "refund pack pay-1 50000");
    texts.put(new Request.RefundCharge(key("msg-42"), Credits.parse("1.5")), "refund charge msg-42 1500");
    texts.put(new Request.Adjust(Credits.parse("-2.5"), "goodwill gesture"), "adjust -2500 goodwill gesture");
    texts.put(new Request.AddMember(CAROL), "add member carol");
    texts.put(new Request.RemoveMember(CAROL), "remove member carol");
    texts.put(new Request.SetMemberCap(CAROL, Optional.of(Credits.of(40))), "cap member carol 40000");
    texts.put(new Request.SetMemberCap(CAROL, Optional.empty()), "cap member carol none");
    texts.forEach((request, text) -> {
      assertEquals(text, request.legacyText(), request.toString());
      assertTrue(RequestCodec.matches(text, request), text);
      assertEquals(Optional.of(request.getClass()), RequestCodec.typeOf(text), text);
      assertEquals(text, RequestCodec.describe(text), "shown verbatim");
    });
  }

  /** 0.1's answer text: the same fields as today's, without the tag. */
  @Test
  void answersRecordedBy01DecodeAndSoDoTaggedOnes() {
    Decision.Allowed decision = new Decision.Allowed(Operation.AI_CHAT_MESSAGE, 1_800, Credits.parse("0.28"),
        Credits.of(30), Credits.parse("29.72"), Meter.OK);
    String fields = "15:ai-chat-message4:18003:2805:300005:297202:OK";
    assertEquals(decision, Receipts.DECISION.decode(fields));
    assertEquals(decision, Receipts.DECISION.decode("a1;" + fields));
    assertEquals("a2;" + fields + "12:NOT_ITEMIZED1:01:01:1", Receipts.DECISION.encode(decision));
    assertEquals(3, Receipts.COUNT.decode("3"));
    assertEquals(3, Receipts.COUNT.decode("a1;3"));
    HoldSettlement release = new HoldSettlement("h-1", Operation.GENERATE_IMAGE, null, Credits.of(2), Credits.ZERO,
        Credits.ZERO, Credits.ZERO, Credits.of(30), Meter.OK);
    assertEquals(release, Receipts.SETTLEMENT.decode("3:h-114:generate-image0:0:4:20001:01:01:05:300002:OK"));
    assertThrows(IllegalArgumentException.class, () -> Receipts.DECISION.decode("a2;" + fields), "no cost terms");
    assertThrows(IllegalArgumentException.class, () -> Receipts.DECISION.decode("a9;" + fields));
    assertThrows(IllegalArgumentException.class, () -> Receipts.COUNT.decode(""));
  }

  /** Every mutation once under 0.1's formats, then the same calls through an upgraded gate. */
  @Test
  void recordsWrittenBy01AreAnsweredAfterTheUpgrade() {
    InMemoryWalletStore store = InMemoryWalletStore.create();
    CreditGate old = CreditGate.builder(new As01Store(store)).build();
    old.openWallet(ACCOUNT, ZoneOffset.UTC, T0);
    Map<String, Function<CreditGate, Object>> calls = new LinkedHashMap<>();
    calls.put("c-1", g -> g.charge(ACCOUNT, Operation.AI_CHAT_MESSAGE, 1_800, key("c-1"), T0));
    calls.put("h-1", g -> g.reserve(ACCOUNT, Operation.GENERATE_IMAGE, 1, key("h-1"), T0));
    calls.put("cap-1", g -> g.capture(ACCOUNT, key("h-1"), 1, Outcome.succeeded(), key("cap-1"), T0));
    calls.put("h-2", g -> g.reserve(ACCOUNT, Operation.GENERATE_IMAGE, 1, key("h-2"), T0));
    calls.put("rel-1", g -> g.release(ACCOUNT, key("h-2"), key("rel-1"), T0));
    calls.put("pay-1", g -> g.topUp(ACCOUNT, "small", key("pay-1"), T0));
    calls.put("pay-2", g -> g.topUpCustom(ACCOUNT, Money.usd("10"), key("pay-2"), T0));
    calls.put("rp-1", g -> g.refundPack(ACCOUNT, key("pay-1"), Credits.of(5), key("rp-1"), T0));
    calls.put("rc-1", g -> g.refundCharge(ACCOUNT, key("c-1"), Credits.parse("0.1"), key("rc-1"), T0));
    calls.put("adj-1", g -> g.adjust(ACCOUNT, Credits.of(1), "goodwill gesture", key("adj-1"), T0));
    calls.put("plan-1", g -> g.changePlan(ACCOUNT, "team", key("plan-1"), T0));
    calls.put("m-1", g -> g.addMember(ACCOUNT, CAROL, key("m-1"), T0));
    calls.put("mc-1", g -> g.charge(ACCOUNT, CAROL, Operation.GENERATE_IMAGE, 1, key("mc-1"), T0));
    calls.put("cap-m-1", g -> g.setMemberCap(ACCOUNT, CAROL, Optional.of(Credits.of(40)), key("cap-m-1"), T0));
    calls.put("rm-1", g -> g.removeMember(ACCOUNT, CAROL, key("rm-1"), T0));
    Map<String, Object> first = new LinkedHashMap<>();
    // 0.1 itemized no cost: what its records answer after the upgrade has the answer's total only.
    calls.forEach((k, call) -> first.put(k, notItemized(call.apply(old))));
    assertEquals("charge ai-chat-message x1800", request(store, "c-1"));
    assertEquals("capture h-1 x1 SUCCEEDED ", request(store, "cap-1"));
    assertEquals("charge generate-image x1 by carol", request(store, "mc-1"));
    assertFalse(store.findRecord(ACCOUNT, key("c-1")).orElseThrow().result().startsWith(Receipts.FORMAT));

    CreditGate upgraded = CreditGate.builder(store).build();
    StoredWallet before = store.load(ACCOUNT).orElseThrow();
    List<LedgerEntry> ledger = GateTestKit.ledger(store, ACCOUNT);
    calls.forEach((k, call) -> assertEquals(first.get(k), call.apply(upgraded), "the repeated " + k));
    assertEquals(before, store.load(ACCOUNT).orElseThrow(), "the repeats wrote nothing");
    assertEquals(ledger, GateTestKit.ledger(store, ACCOUNT));

    IdempotencyConflictException conflict = assertThrows(IdempotencyConflictException.class,
        () -> upgraded.charge(ACCOUNT, Operation.AI_CHAT_MESSAGE, 2_000, key("c-1"), T0));
    assertTrue(conflict.getMessage().contains("[charge ai-chat-message x1800]"), conflict.getMessage());
    assertThrows(IdempotencyConflictException.class,
        () -> upgraded.capture(ACCOUNT, key("h-1"), 2, Outcome.succeeded(), key("cap-1"), T0));
    assertThrows(IdempotencyConflictException.class,
        () -> upgraded.charge(ACCOUNT, Operation.SERVE_LIVE_APP, 1, key("pay-1"), T0));

    // Refunds find the charge and the capture 0.1 recorded.
    assertThrows(InvalidRequestException.class,
        () -> upgraded.refundCharge(ACCOUNT, key("c-1"), Credits.parse("0.181"), key("rc-2"), T0), "0.1 of 0.28 is back");
    upgraded.refundCharge(ACCOUNT, key("c-1"), Credits.parse("0.18"), key("rc-2"), T0);
    upgraded.refundCharge(ACCOUNT, key("cap-1"), Credits.of(2), key("rc-3"), T0);
    upgraded.refundCharge(ACCOUNT, key("mc-1"), Credits.of(1), key("rc-4"), T0);
    assertTrue(request(store, "rc-2").startsWith(RequestCodec.FORMAT), "new records are written in the new format");
    assertThrows(InvalidRequestException.class,
        () -> upgraded.refundCharge(ACCOUNT, key("pay-1"), Credits.of(1), key("rc-5"), T0));
  }

  @Test
  void aRecordInAnUnknownFormatIsAConflictShownVerbatim() {
    InMemoryWalletStore store = InMemoryWalletStore.create();
    CreditGate gate = CreditGate.builder(store).build();
    gate.openWallet(ACCOUNT, ZoneOffset.UTC, T0);
    StoredWallet stored = store.load(ACCOUNT).orElseThrow();
    assertTrue(store.commit(new Commit(ACCOUNT, stored.version(), stored.state(), List.of(),
        List.of(new IdempotencyRecord(key("k-1"), "q9;charge;from the future", "a9;", T0)), List.of(), Optional.empty())));
    IdempotencyConflictException conflict = assertThrows(IdempotencyConflictException.class,
        () -> gate.charge(ACCOUNT, Operation.AI_CHAT_MESSAGE, 1, key("k-1"), T0));
    assertTrue(conflict.getMessage().contains("[q9;charge;from the future]"), conflict.getMessage());
  }

  /** The answer as 0.1 recorded it: a decision or settlement without its cost's breakdown. */
  static Object notItemized(Object answer) {
    if (answer instanceof Decision.Allowed a) {
      return new Decision.Allowed(a.operation(), a.quantity(), a.cost(), a.balanceBefore(), a.balanceAfter(),
          a.meter());
    }
    if (answer instanceof HoldSettlement h) {
      return new HoldSettlement(h.hold(), h.operation(), h.outcome(), h.held(), h.metered(), h.due(), h.charged(),
          h.balanceAfter(), h.meter());
    }
    return answer;
  }

  /** An answer's fields as 0.1 wrote them: a decision's and a settlement's without their cost terms. */
  static String fieldsOf01(Request request, String fields) {
    int kept = request instanceof Request.Charge || request instanceof Request.Reserve ? 6
        : request instanceof Request.Capture || request instanceof Request.Release ? 10 : -1;
    return kept < 0 ? fields : Fields.join(Fields.split(fields).subList(0, kept).toArray());
  }

  private static String request(WalletStore store, String key) {
    return store.findRecord(ACCOUNT, key(key)).orElseThrow().request();
  }

  /** The store as 0.1 filled it: each record it commits keeps 0.1's request text and untagged answer. */
  private static final class As01Store extends ForwardingWalletStore {
    As01Store(WalletStore store) {
      super(store);
    }

    @Override
    public boolean commit(Commit commit) {
      List<IdempotencyRecord> records = commit.records().stream().map(r -> {
        assertTrue(r.result().startsWith(Receipts.FORMAT), r.result());
        Request request = RequestCodec.decode(r.request());
        return new IdempotencyRecord(r.key(), request.legacyText(),
            fieldsOf01(request, r.result().substring(Receipts.FORMAT.length())), r.at());
      }).toList();
      return super.commit(new Commit(commit.account(), commit.expectedVersion(), commit.state(), commit.entries(),
          records, commit.events(), commit.nextHoldExpiry()));
    }

    /** None: every commit comes through {@link #commit}, where 0.1's text is made. */
    @Override
    public Optional<WalletTransaction> transaction() {
      return Optional.empty();
    }
  }
}
