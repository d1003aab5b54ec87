package dev.creditgate;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import net.jqwik.api.statistics.Statistics;

/**
 * Issue 3 ("In-flight work"), stateful: random sequences of charge, reserve, capture (every
 * outcome, retries linked to an earlier hold), release, hold expiry (time moved past the TTL, and
 * the {@code expireHolds} sweep), top-up (pack and custom), renewal (time jumps across renewal
 * dates), upgrade and downgrade, refunds of packs and of charges, with repeated keys (same
 * arguments), conflicting keys (other arguments) and retries of denied keys, run against the gate
 * and against a deliberately simple reference model ({@link Model}: longs in thousandths and a few
 * maps). After every step the gate's balances must equal the model's, the ledger must sum to the
 * stored balances (grant by grant, checked independently and by {@link CreditGate#replay}), held
 * credits must never be spent twice, and a repeated key must change nothing.
 *
 * <p>The reference model is written from the specification, not from the domain code: it reuses
 * nothing from {@code model/} but {@link Credits} and the article's prices (hard-coded below). Its
 * simplifications: one account, UTC (no daylight saving), the default policies only (subscription
 * first, then packs oldest first; no overdraft; the default outcome policy; upgrades restart the
 * period); it does not model the meter, the warnings or the events.
 *
 * <p>Two bugs it found are kept out of the random sequences and reproduced, disabled, by
 * {@link #packRefundNeverTakesHeldCredits()} and {@link #renewalToASmallerPlanNeverLeavesHoldsUncovered()}.
 */
class InFlightWorkStatefulPropertiesTest {

  static final Instant START = Instant.parse("2026-01-31T10:00:00Z"); // month-end anchor
  static final Duration TTL = Duration.ofMinutes(10);
  static final AccountId ACCOUNT = AccountId.of("ada");

  static final String AI = "ai-chat-message";
  static final String PLAN_MODE = "plan-mode-message";
  static final String IMAGE = "generate-image";
  static final String CONNECT = "connect-integration";

  // ---------------------------------------------------------------------------------------------
  // The properties

  // Shrinking is BOUNDED (jqwik's 10 s budget), not FULL: on a failing chain of 40 actions FULL
  // shrinking ran for more than 20 minutes, while the bounded budget already shrinks the known bugs
  // below to 4 or 5 actions.
  @Property(tries = 200, shrinking = ShrinkingMode.BOUNDED)
  void randomInFlightWork_keepsBalancesEqualToModelAndLedger_andRepeatedKeysChangeNothing(
      @ForAll("chains") ActionChain<InFlight> chain) {
    chain
        .withInvariant("status equals the reference model", InFlight::statusEqualsModel)
        .withInvariant("ledger sums to the stored balances", InFlight::ledgerSumsToStoredBalances)
        .withInvariant("held credits are never spent twice", InFlight::heldCreditsNeverSpentTwice)
        .withInvariant("stored wallet keeps its invariants", InFlight::walletKeepsItsInvariants)
        .run();
    // The sequences must keep reaching the interesting cases, or the property proves little.
    Statistics.label("calls").coverage(c -> {
      for (String reached : List.of("ChargeCall -> Denied", "ReserveCall -> Denied", "ChargeCall -> Replay",
          "CaptureCall -> Replay", "ReserveCall -> Conflict", "CaptureCall -> Done", "CaptureCall -> Fails",
          "ReleaseCall -> Done", "RefundPackCall -> Done", "RefundChargeCall -> Done", "RefundChargeCall -> Fails")) {
        c.check(reached).count(n -> n > 0);
      }
    });
    Statistics.label("sweep").coverage(c -> c.check(1).count(n -> n > 0));
    Statistics.label("renewals").coverage(c -> c.check("with open holds, same plan").count(n -> n > 0));
  }

  /**
   * One hold, captured with a random actual quantity and outcome: the charge is exactly the
   * policy's share of the metered cost, capped at the hold plus the credits available beside it,
   * and never leaves the wallet overdrawn.
   */
  @Property(tries = 300)
  void capturedChargeIsThePolicyShareCappedAtHeldPlusAvailable_andNeverOverdraws(
      @ForAll @LongRange(min = 0, max = 300_000) long spentTokens,
      @ForAll boolean withPack,
      @ForAll @LongRange(min = 0, max = 250_000) long heldTokens,
      @ForAll @LongRange(min = 0, max = 2_000_000) long actualTokens,
      @ForAll Outcome.Kind kind) {
    InMemoryWalletStore store = InMemoryWalletStore.create();
    CreditGate gate = CreditGate.builder(store).holdTimeToLive(TTL).build();
    gate.openWallet(ACCOUNT, ZoneOffset.UTC, START);
    if (withPack) {
      gate.topUp(ACCOUNT, "small", IdempotencyKey.of("pay"), START);
    }
    gate.charge(ACCOUNT, Operation.AI_CHAT_MESSAGE, spentTokens, IdempotencyKey.of("spend"), START);
    Decision reserved = gate.reserve(ACCOUNT, Operation.AI_CHAT_MESSAGE, heldTokens, IdempotencyKey.of("h"),
        START);
    long held = Model.cost(AI, heldTokens);
    long availableBeside = gate.status(ACCOUNT, START).available().thousandths();
    Outcome outcome = kind == Outcome.Kind.RETRY ? Outcome.retryOf(IdempotencyKey.of("h0")) : new Outcome(kind, "");
    if (!reserved.isAllowed()) {
      assertEquals(held, reserved.cost().thousandths());
      assertTrue(held > availableBeside, "denied although affordable: " + reserved);
      return;
    }
    long metered = Model.cost(AI, actualTokens);
    long due = Model.policyCharge(kind, metered);
    HoldSettlement s = gate.capture(ACCOUNT, IdempotencyKey.of("h"), actualTokens, outcome,
        IdempotencyKey.of("cap"), START);
    long cap = held + availableBeside;
    assertEquals(metered, s.metered().thousandths(), "metered");
    assertEquals(due, s.due().thousandths(), "due");
    assertEquals(Math.min(due, cap), s.charged().thousandths(), "charged");
    assertTrue(s.charged().thousandths() <= cap, "charged beyond hold + available");
    assertEquals(due > cap, s.isShort(), "isShort");
    WalletStatus after = gate.status(ACCOUNT, START);
    assertEquals(cap - s.charged().thousandths(), after.available().thousandths(), "available after");
    assertTrue(after.available().thousandths() >= 0, "available went negative");
    assertEquals(Credits.ZERO, after.debt(), "no overdraft by default");
    assertEquals(Credits.ZERO, after.held());
    assertTrue(gate.replay(ACCOUNT).isConsistent(), gate.replay(ACCOUNT).toString());
  }

  // ---------------------------------------------------------------------------------------------
  // Regressions: bugs the stateful property found, now fixed. Each minimal sequence states what
  // the specification asks.

  /**
   * Minimal sequence: top up a Small pack (100), reserve 130 (all 130 available), refund the whole
   * pack. The refund is refused because those credits are held (it once went through, leaving
   * available at -100 and, after the capture, a debt of 100 in a wallet without overdraft).
   */
  @Example
  void packRefundNeverTakesHeldCredits() {
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).holdTimeToLive(TTL).build();
    gate.openWallet(ACCOUNT, ZoneOffset.UTC, START); // 30
    gate.topUp(ACCOUNT, "small", IdempotencyKey.of("pay"), START); // 130
    assertTrue(gate.reserve(ACCOUNT, Operation.CONNECT_INTEGRATION, 26, IdempotencyKey.of("h"), START).isAllowed());
    assertThrows(InvalidRequestException.class,
        () -> gate.refundPack(ACCOUNT, IdempotencyKey.of("pay"), Credits.of(100), IdempotencyKey.of("r"), START));
    assertTrue(gate.status(ACCOUNT, START).available().thousandths() >= 0, "available after the refund");
    gate.capture(ACCOUNT, IdempotencyKey.of("h"), 26, Outcome.succeeded(), IdempotencyKey.of("cap"), START);
    assertEquals(Credits.ZERO, gate.status(ACCOUNT, START).debt(), "debt without overdraft");
  }

  /**
   * Minimal sequence: upgrade to Pro (150), schedule a downgrade to Free, reserve 150 five minutes
   * before the renewal, look one minute after it: the renewal trims the hold to what the wallet
   * holds, so available is never negative and the capture leaves no debt (it once left available
   * at -120 and a debt of 120 in a wallet without overdraft).
   */
  @Example
  void renewalToASmallerPlanNeverLeavesHoldsUncovered() {
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).holdTimeToLive(TTL).build();
    gate.openWallet(ACCOUNT, ZoneOffset.UTC, START);
    gate.changePlan(ACCOUNT, "pro", IdempotencyKey.of("up"), START);
    gate.changePlan(ACCOUNT, "free", IdempotencyKey.of("down"), START);
    Instant renewal = gate.status(ACCOUNT, START).nextRenewal();
    assertTrue(gate.reserve(ACCOUNT, Operation.CONNECT_INTEGRATION, 30, IdempotencyKey.of("h"),
        renewal.minus(Duration.ofMinutes(5))).isAllowed());
    Instant after = renewal.plus(Duration.ofMinutes(1));
    assertTrue(gate.status(ACCOUNT, after).available().thousandths() >= 0, "available after the renewal");
    gate.capture(ACCOUNT, IdempotencyKey.of("h"), 30, Outcome.succeeded(), IdempotencyKey.of("cap"), after);
    assertEquals(Credits.ZERO, gate.status(ACCOUNT, after).debt(), "debt without overdraft");
  }

  // ---------------------------------------------------------------------------------------------
  // The actions

  @Provide
  Arbitrary<ActionChain<InFlight>> chains() {
    return ActionChain.startWith(InFlight::new)
        .withAction(6, independent(Actions.charge()))
        .withAction(6, independent(Actions.reserve()))
        .withAction(6, Actions.capture())
        .withAction(3, Actions.release())
        .withAction(3, independent(Actions.advance()))
        .withAction(2, Actions.pastHoldTtl())
        .withAction(2, independent(Actions.sweep()))
        .withAction(1, independent(Actions.topUp()))
        .withAction(1, independent(Actions.topUpCustom()))
        .withAction(2, independent(Actions.acrossRenewal()))
        .withAction(3, independent(Actions.justBeforeRenewal()))
        .withAction(2, independent(Actions.changePlan()))
        .withAction(2, Actions.refundPack())
        .withAction(2, Actions.refundCharge())
        .withAction(4, Actions.repeatKey())
        .withAction(3, Actions.conflictingKey())
        .withAction(2, Actions.retryDenied())
        .withMaxTransformations(40);
  }

  private static Action.Independent<InFlight> independent(Arbitrary<Transformer<InFlight>> transformers) {
    return () -> transformers;
  }

  /** Operation and quantity of a piece of work. */
  record Work(String op, long quantity) {
    @Override
    public String toString() {
      return op + " x" + quantity;
    }
  }

  static final class Actions {
    private Actions() {}

    static Arbitrary<Work> work() {
      return Arbitraries.frequencyOf(
          Tuple.of(5, Arbitraries.longs().between(0, 250_000).map(q -> new Work(AI, q))),
          Tuple.of(2, Arbitraries.longs().between(250_000, 3_000_000).map(q -> new Work(AI, q))),
          Tuple.of(2, Arbitraries.longs().between(0, 100_000).map(q -> new Work(PLAN_MODE, q))),
          // quantity 0 of a fixed-price operation is bad input
          Tuple.of(2, Arbitraries.longs().between(0, 40).map(q -> new Work(IMAGE, q))),
          Tuple.of(1, Arbitraries.longs().between(1, 30).map(q -> new Work(CONNECT, q))));
    }

    static Arbitrary<Transformer<InFlight>> charge() {
      return work().map(w -> Transformer.mutate("charge " + w,
          s -> s.perform(new ChargeCall(w.op(), w.quantity()), s.freshKey())));
    }

    static Arbitrary<Transformer<InFlight>> reserve() {
      return work().map(w -> Transformer.mutate("reserve " + w,
          s -> s.perform(new ReserveCall(w.op(), w.quantity()), s.freshKey())));
    }

    static Action.Dependent<InFlight> capture() {
      return new Action.Dependent<>() {
        @Override
        public boolean precondition(InFlight s) {
          return !s.holdOps.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<InFlight>> transformer(InFlight s) {
          List<String> all = new ArrayList<>(s.holdOps.keySet());
          List<String> open = new ArrayList<>(s.model.holds.keySet());
          Arbitrary<String> hold = open.isEmpty() ? Arbitraries.of(all)
              : Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(open)), Tuple.of(1, Arbitraries.of(all)));
          Arbitrary<Outcome> outcome = Arbitraries.of(Outcome.Kind.values()).flatMap(kind ->
              kind == Outcome.Kind.RETRY
                  ? Arbitraries.of(all).map(earlier -> Outcome.retryOf(IdempotencyKey.of(earlier)))
                  : Arbitraries.just(new Outcome(kind, "")));
          return Combinators.combine(hold, Arbitraries.longs().between(0, 3_000_000), outcome)
              .as((h, q, o) -> {
                String op = s.holdOps.get(h);
                long quantity = op.equals(IMAGE) || op.equals(CONNECT) ? q % 41 : q;
                CaptureCall call = new CaptureCall(h, quantity, o.kind(), o.retryOf());
                return Transformer.mutate(call.toString(), st -> st.perform(call, st.freshKey()));
              });
        }
      };
    }

    static Action.Dependent<InFlight> release() {
      return new Action.Dependent<>() {
        @Override
        public boolean precondition(InFlight s) {
          return !s.holdOps.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<InFlight>> transformer(InFlight s) {
          return Arbitraries.of(new ArrayList<>(s.holdOps.keySet())).map(h -> {
            ReleaseCall call = new ReleaseCall(h);
            return Transformer.mutate(call.toString(), st -> st.perform(call, st.freshKey()));
          });
        }
      };
    }

    static Arbitrary<Transformer<InFlight>> advance() {
      return Arbitraries.longs().between(1, 1_200).map(sec -> Transformer.mutate("advance " + sec + "s",
          s -> s.advanceTo(s.now.plusSeconds(sec))));
    }

    static Action.Dependent<InFlight> pastHoldTtl() {
      return new Action.Dependent<>() {
        @Override
        public boolean precondition(InFlight s) {
          return !s.model.holds.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<InFlight>> transformer(InFlight s) {
          return Combinators.combine(Arbitraries.of(new ArrayList<>(s.model.holds.keySet())),
              Arbitraries.longs().between(0, 120)).as((h, sec) -> Transformer.mutate(
                  "move time " + sec + "s past the TTL of hold " + h, st -> {
                    Model.Hold hold = st.model.holds.get(h);
                    if (hold != null) {
                      st.advanceTo(hold.expiresAt().plusSeconds(sec));
                    }
                  }));
        }
      };
    }

    static Arbitrary<Transformer<InFlight>> sweep() {
      return Arbitraries.longs().between(0, 900).map(sec -> Transformer.mutate(
          "advance " + sec + "s and sweep expired holds", s -> s.sweep(sec)));
    }

    static Arbitrary<Transformer<InFlight>> topUp() {
      return Arbitraries.of("small", "medium", "large").map(pack -> Transformer.mutate("top up " + pack,
          s -> s.perform(new TopUpCall(pack), s.freshKey())));
    }

    static Arbitrary<Transformer<InFlight>> topUpCustom() {
      Arbitrary<Long> cents = Arbitraries.frequencyOf(
          Tuple.of(8, Arbitraries.longs().between(500, 5_000)),
          Tuple.of(1, Arbitraries.longs().between(5_001, 100_000)),
          Tuple.of(1, Arbitraries.of(1L, 499L, 100_001L, 250_000L))); // outside $5..$1000: bad input
      return cents.map(c -> Transformer.mutate("top up custom " + c + " cents",
          s -> s.perform(new CustomTopUpCall(c), s.freshKey())));
    }

    static Arbitrary<Transformer<InFlight>> acrossRenewal() {
      return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.longs().between(0, 172_800))
          .as((months, sec) -> Transformer.mutate(
              "jump " + months + " month(s) and " + sec + "s past the next renewal", s -> {
                s.model.rollForward(s.now);
                s.advanceTo(s.model.periodStart(s.model.period + 1 + months).plusSeconds(sec));
              }));
    }

    static Arbitrary<Transformer<InFlight>> justBeforeRenewal() {
      return Arbitraries.longs().between(1, TTL.toSeconds() / 2).map(sec -> Transformer.mutate(
          "move to " + sec + "s before the next renewal", s -> {
            s.model.rollForward(s.now);
            Instant target = s.model.nextRenewal().minusSeconds(sec);
            if (target.isAfter(s.now)) {
              s.advanceTo(target);
            }
          }));
    }

    static Arbitrary<Transformer<InFlight>> changePlan() {
      return Arbitraries.of("free", "pro", "team").map(plan -> Transformer.mutate("change plan to " + plan,
          s -> s.perform(new PlanCall(plan), s.freshKey())));
    }

    /**
     * Refunds part of a pack purchase. The amount is decided when the action runs: a share of what
     * is left of the grant (refused when it would take credits open holds reserve), or more than is
     * left of the grant (bad input).
     */
    static Action.Dependent<InFlight> refundPack() {
      return new Action.Dependent<>() {
        @Override
        public boolean precondition(InFlight s) {
          return s.model.recorded.values().stream().anyMatch(c -> c instanceof TopUpCall || c instanceof CustomTopUpCall);
        }

        @Override
        public Arbitrary<Transformer<InFlight>> transformer(InFlight s) {
          List<String> payments = new ArrayList<>();
          s.model.recorded.forEach((k, c) -> {
            if (c instanceof TopUpCall || c instanceof CustomTopUpCall) {
              payments.add(k);
            }
          });
          Arbitrary<Integer> permille = Arbitraries.frequencyOf(
              Tuple.of(5, Arbitraries.integers().between(1, 999)),
              Tuple.of(2, Arbitraries.just(1000)), // all of it
              Tuple.of(2, Arbitraries.integers().between(-5_000, -1))); // beyond what is left of the grant
          return Combinators.combine(Arbitraries.of(payments), permille).as((p, share) -> Transformer.mutate(
              share > 0 ? "refund pack " + p + ": " + share + "/1000 of what is left"
                  : "refund pack " + p + ": " + -share + " thousandths beyond what is left",
              st -> {
                st.model.rollForward(st.now);
                long left = st.model.packs.getOrDefault("pack:" + p, 0L);
                long amount = share > 0 && left > 0 ? Math.max(1, left * share / 1000)
                    : left + Math.max(1, -share);
                st.perform(new RefundPackCall(p, amount), st.freshKey());
              }));
        }
      };
    }

    static Action.Dependent<InFlight> refundCharge() {
      return new Action.Dependent<>() {
        @Override
        public boolean precondition(InFlight s) {
          return !s.model.recorded.isEmpty() || !s.denied.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<InFlight>> transformer(InFlight s) {
          List<String> charges = new ArrayList<>(s.model.charged.keySet());
          List<String> others = new ArrayList<>(s.model.recorded.keySet());
          others.addAll(s.denied.keySet());
          Arbitrary<String> chargeKey = charges.isEmpty() ? Arbitraries.of(others)
              : Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of(charges)), Tuple.of(1, Arbitraries.of(others)));
          return chargeKey.flatMap(k -> {
            long left = s.model.charged.getOrDefault(k, 0L) - s.model.refunded.getOrDefault(k, 0L);
            return refundAmount(left).map(credits -> {
              RefundChargeCall call = new RefundChargeCall(k, credits);
              return Transformer.mutate(call.toString(), st -> st.perform(call, st.freshKey()));
            });
          });
        }
      };
    }

    /** Mostly within {@code left}, sometimes all of it, sometimes beyond it (bad input). */
    static Arbitrary<Long> refundAmount(long left) {
      Arbitrary<Long> beyond = Arbitraries.longs().between(left + 1, left + 5_000);
      if (left <= 0) {
        return beyond;
      }
      return Arbitraries.frequencyOf(
          Tuple.of(5, Arbitraries.longs().between(1, left)),
          Tuple.of(2, Arbitraries.just(left)),
          Tuple.of(2, beyond));
    }

    static Action.Dependent<InFlight> repeatKey() {
      return new Action.Dependent<>() {
        @Override
        public boolean precondition(InFlight s) {
          return !s.model.recorded.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<InFlight>> transformer(InFlight s) {
          return Arbitraries.of(new ArrayList<>(s.model.recorded.keySet())).map(k -> {
            Call call = s.model.recorded.get(k);
            return Transformer.mutate("repeat " + call + " with its key " + k, st -> st.perform(call, k));
          });
        }
      };
    }

    static Action.Dependent<InFlight> conflictingKey() {
      return new Action.Dependent<>() {
        @Override
        public boolean precondition(InFlight s) {
          return !s.model.recorded.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<InFlight>> transformer(InFlight s) {
          return Arbitraries.of(new ArrayList<>(s.model.recorded.keySet())).flatMap(k -> {
            Call first = s.model.recorded.get(k);
            Arbitrary<Call> other = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 50_000).map(q -> (Call) new ChargeCall(AI, q)),
                Arbitraries.just(new ReserveCall(IMAGE, 1)),
                Arbitraries.just(new TopUpCall("small")),
                Arbitraries.just(new ReleaseCall(k)),
                Arbitraries.just(new PlanCall("team")),
                Arbitraries.just(new RefundPackCall(k, 1_000)));
            return other.filter(c -> !c.equals(first)).map(c -> Transformer.mutate(
                "reuse key " + k + " of " + first + " for " + c, st -> st.perform(c, k)));
          });
        }
      };
    }

    static Action.Dependent<InFlight> retryDenied() {
      return new Action.Dependent<>() {
        @Override
        public boolean precondition(InFlight s) {
          return !s.denied.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<InFlight>> transformer(InFlight s) {
          return Arbitraries.of(new ArrayList<>(s.denied.keySet())).map(k -> {
            Call call = s.denied.get(k);
            return Transformer.mutate("retry denied " + call + " with its key " + k, st -> st.perform(call, k));
          });
        }
      };
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The calls: what a mutating call asks, as the model compares it for idempotency

  sealed interface Call permits ChargeCall, ReserveCall, CaptureCall, ReleaseCall, TopUpCall,
      CustomTopUpCall, PlanCall, RefundPackCall, RefundChargeCall {
    Object invoke(CreditGate gate, IdempotencyKey key, Instant at);
  }

  record ChargeCall(String op, long quantity) implements Call {
    @Override
    public Object invoke(CreditGate gate, IdempotencyKey key, Instant at) {
      return gate.charge(ACCOUNT, Operation.of(op), quantity, key, at);
    }
  }

  record ReserveCall(String op, long quantity) implements Call {
    @Override
    public Object invoke(CreditGate gate, IdempotencyKey key, Instant at) {
      return gate.reserve(ACCOUNT, Operation.of(op), quantity, key, at);
    }
  }

  record CaptureCall(String hold, long quantity, Outcome.Kind outcome, String retryOf) implements Call {
    @Override
    public Object invoke(CreditGate gate, IdempotencyKey key, Instant at) {
      return gate.capture(ACCOUNT, IdempotencyKey.of(hold), quantity, new Outcome(outcome, retryOf), key, at);
    }
  }

  record ReleaseCall(String hold) implements Call {
    @Override
    public Object invoke(CreditGate gate, IdempotencyKey key, Instant at) {
      return gate.release(ACCOUNT, IdempotencyKey.of(hold), key, at);
    }
  }

  record TopUpCall(String pack) implements Call {
    @Override
    public Object invoke(CreditGate gate, IdempotencyKey key, Instant at) {
      return gate.topUp(ACCOUNT, pack, key, at);
    }
  }

  record CustomTopUpCall(long cents) implements Call {
    @Override
    public Object invoke(CreditGate gate, IdempotencyKey key, Instant at) {
      return gate.topUpCustom(ACCOUNT, Money.usd(BigDecimal.valueOf(cents, 2).toPlainString()), key, at);
    }
  }

  record PlanCall(String plan) implements Call {
    @Override
    public Object invoke(CreditGate gate, IdempotencyKey key, Instant at) {
      return gate.changePlan(ACCOUNT, plan, key, at);
    }
  }

  record RefundPackCall(String payment, long thousandths) implements Call {
    @Override
    public Object invoke(CreditGate gate, IdempotencyKey key, Instant at) {
      return gate.refundPack(ACCOUNT, IdempotencyKey.of(payment), Credits.ofThousandths(thousandths), key, at);
    }
  }

  record RefundChargeCall(String charge, long thousandths) implements Call {
    @Override
    public Object invoke(CreditGate gate, IdempotencyKey key, Instant at) {
      return gate.refundCharge(ACCOUNT, IdempotencyKey.of(charge), Credits.ofThousandths(thousandths), key, at);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // What the model expects of a call

  sealed interface Expect permits Replay, Conflict, Fails, Denied, Done {}

  /** The key was recorded with the same call: the first result again, nothing changed. */
  record Replay() implements Expect {}

  /** The key was recorded with another call. */
  record Conflict() implements Expect {}

  /** Bad input or a hold that is not open: this typed error, nothing changed. */
  record Fails(Class<? extends CreditGateException> type) implements Expect {}

  /** A denied charge or reserve: nothing written, the key not recorded. */
  record Denied(long cost, long availableBefore) implements Expect {}

  /** Committed; {@code verify} checks the gate's result. */
  record Done(Consumer<Object> verify) implements Expect {}

  // ---------------------------------------------------------------------------------------------
  // The reference model

  /**
   * The wallet as the specification describes it, in thousandths of a credit: subscription credits,
   * pack grants (oldest first), open holds and debt; the plan and its monthly renewal (UTC); the
   * recorded keys and what each charge cost.
   */
  static final class Model {
    record Hold(String op, long amount, Instant expiresAt) {}

    long subscription;
    long debt;
    final LinkedHashMap<String, Long> packs = new LinkedHashMap<>();
    final LinkedHashMap<String, Hold> holds = new LinkedHashMap<>();
    String plan = "free";
    String renewalPlan = "free";
    LocalDateTime anchor;
    long period;
    final Map<String, Call> recorded = new LinkedHashMap<>();
    final Map<String, Long> charged = new LinkedHashMap<>();
    final Map<String, Long> refunded = new HashMap<>();

    Model(Instant start) {
      anchor = LocalDateTime.ofInstant(start, ZoneOffset.UTC);
      grantSubscription(allowance(plan));
    }

    private Model() {}

    Model copy() {
      Model m = new Model();
      m.subscription = subscription;
      m.debt = debt;
      m.packs.putAll(packs);
      m.holds.putAll(holds);
      m.plan = plan;
      m.renewalPlan = renewalPlan;
      m.anchor = anchor;
      m.period = period;
      m.recorded.putAll(recorded);
      m.charged.putAll(charged);
      m.refunded.putAll(refunded);
      return m;
    }

    // The article's prices ------------------------------------------------------------------

    static long allowance(String plan) {
      switch (plan) {
        case "free": return 30_000;
        case "pro": return 150_000;
        case "team": return 300_000;
        default: throw new AssertionError(plan);
      }
    }

    static int rank(String plan) {
      return List.of("free", "pro", "team").indexOf(plan);
    }

    static long packCredits(String pack) {
      switch (pack) {
        case "small": return 100_000;
        case "medium": return 250_000;
        case "large": return 1_000_000;
        default: throw new AssertionError(pack);
      }
    }

    /** The cost in thousandths, or -1 for a quantity the operation does not accept. */
    static long cost(String op, long q) {
      switch (op) {
        case AI: return 100 + ceilDiv(100 * q, 1000);          // 0.1 + 0.1 per 1000 tokens
        case PLAN_MODE: return 50 + ceilDiv(50 * q, 1000);     // 0.05 + 0.05 per 1000 tokens
        case IMAGE: return q >= 1 ? 2_000 * q : -1;            // 2 each
        case CONNECT: return q >= 1 ? 5_000 * q : -1;          // 5 each
        default: throw new AssertionError(op);
      }
    }

    /** Default outcome policy: 100 / 50 / 25 / 50 %, floor 10 %, rounded up, at least 0.001. */
    static long policyCharge(Outcome.Kind kind, long metered) {
      if (metered <= 0) {
        return 0;
      }
      long share;
      switch (kind) {
        case SUCCEEDED: share = 100; break;
        case FAILED_AT_MODEL: share = 50; break;
        case PLATFORM_ERROR: share = 25; break;
        case RETRY: share = 50; break;
        default: throw new AssertionError(kind);
      }
      return Math.max(1, ceilDiv(metered * Math.max(share, 10), 100));
    }

    static long ceilDiv(long a, long b) {
      return (a + b - 1) / b;
    }

    // Balances --------------------------------------------------------------------------------

    long packTotal() {
      return packs.values().stream().mapToLong(Long::longValue).sum();
    }

    long held() {
      return holds.values().stream().mapToLong(Hold::amount).sum();
    }

    long balance() {
      return subscription + packTotal() - debt;
    }

    long available() {
      return balance() - held();
    }

    Instant periodStart(long n) {
      return anchor.plusMonths(n).toInstant(ZoneOffset.UTC);
    }

    Instant nextRenewal() {
      return periodStart(period + 1);
    }

    // Transitions -----------------------------------------------------------------------------

    /**
     * Applies each renewal due in turn, after expiring the holds due by it: unused subscription
     * credits expire, the allowance in force is granted, and holds the wallet no longer covers are
     * trimmed, the latest first. (Granting every period and expiring it at the next ends where the
     * gate's "renew once" does.) Then expires the holds due by {@code at}.
     */
    void rollForward(Instant at) {
      boolean renewed = false;
      while (!periodStart(period + 1).isAfter(at)) {
        Instant renewal = periodStart(period + 1);
        if (!renewed) {
          Statistics.label("renewals").collect((holds.values().stream().anyMatch(h -> h.expiresAt().isAfter(renewal))
              ? "with" : "without") + " open holds, " + (rank(renewalPlan) < rank(plan) ? "to a lower plan" : "same plan"));
          renewed = true;
        }
        holds.values().removeIf(h -> !h.expiresAt().isAfter(renewal));
        subscription = 0; // unused subscription credits expire
        plan = renewalPlan;
        period++;
        grantSubscription(allowance(plan));
        trimHolds();
      }
      holds.values().removeIf(h -> !h.expiresAt().isAfter(at));
    }

    /** Holds beyond what the wallet holds are cut back, the latest first. */
    void trimHolds() {
      long excess = held() - Math.max(0, balance());
      List<String> ids = new ArrayList<>(holds.keySet());
      for (int i = ids.size() - 1; i >= 0 && excess > 0; i--) {
        Hold hold = holds.get(ids.get(i));
        long cut = Math.min(excess, hold.amount());
        excess -= cut;
        if (cut == hold.amount()) {
          holds.remove(ids.get(i));
        } else {
          holds.put(ids.get(i), new Hold(hold.op(), hold.amount() - cut, hold.expiresAt()));
        }
      }
    }

    void grantSubscription(long credits) {
      subscription += credits;
      long repaid = Math.min(debt, subscription);
      subscription -= repaid;
      debt -= repaid;
    }

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

    /** With no overdraft, a cost is allowed when the available credits cover it. */
    boolean affords(long cost) {
      return cost <= Math.max(0, available());
    }

    /**
     * What {@code call} with {@code key} at {@code at} must do. Changes the model only when it
     * returns {@link Done}.
     */
    Expect expect(Call call, String key, Instant at) {
      // What the gate validates before it looks at the key.
      if (call instanceof ChargeCall c && cost(c.op(), c.quantity()) < 0
          || call instanceof ReserveCall r && cost(r.op(), r.quantity()) < 0
          || call instanceof CustomTopUpCall t && (t.cents() < 500 || t.cents() > 100_000)) {
        return new Fails(InvalidRequestException.class);
      }
      if (call instanceof RefundChargeCall r && !(recorded.get(r.charge()) instanceof ChargeCall
          || recorded.get(r.charge()) instanceof CaptureCall)) {
        return new Fails(InvalidRequestException.class);
      }
      if (recorded.containsKey(key)) {
        return recorded.get(key).equals(call) ? new Replay() : new Conflict();
      }
      rollForward(at);
      long before = available();
      if (call instanceof ChargeCall c) {
        long cost = cost(c.op(), c.quantity());
        if (!affords(cost)) {
          return new Denied(cost, before);
        }
        spend(cost);
        recorded.put(key, call);
        charged.put(key, cost);
        long after = available();
        return new Done(result -> {
          Decision.Allowed d = assertInstanceOf(Decision.Allowed.class, result);
          assertEquals(List.of(c.op(), c.quantity(), cost, before, after),
              List.of(d.operation().id(), d.quantity(), d.cost().thousandths(), d.balanceBefore().thousandths(),
                  d.balanceAfter().thousandths()), "charge: op, quantity, cost, before, after");
        });
      }
      if (call instanceof ReserveCall r) {
        long cost = cost(r.op(), r.quantity());
        if (!affords(cost)) {
          return new Denied(cost, before);
        }
        holds.put(key, new Hold(r.op(), cost, at.plus(TTL)));
        recorded.put(key, call);
        long after = available();
        return new Done(result -> {
          Decision.Allowed d = assertInstanceOf(Decision.Allowed.class, result);
          assertEquals(List.of(r.op(), r.quantity(), cost, before, after),
              List.of(d.operation().id(), d.quantity(), d.cost().thousandths(), d.balanceBefore().thousandths(),
                  d.balanceAfter().thousandths()), "reserve: op, quantity, cost, before, after");
        });
      }
      if (call instanceof CaptureCall c) {
        Hold hold = holds.get(c.hold());
        if (hold == null) {
          return new Fails(HoldStateException.class);
        }
        // zero units of a fixed cost: nothing produced, nothing metered (a charge would refuse them)
        long metered = c.quantity() == 0 && (hold.op().equals(IMAGE) || hold.op().equals(CONNECT)) ? 0 : cost(hold.op(), c.quantity());
        if (metered < 0) {
          return new Fails(InvalidRequestException.class);
        }
        long due = policyCharge(c.outcome(), metered);
        long take = Math.min(due, hold.amount() + Math.max(0, available()));
        holds.remove(c.hold());
        spend(take);
        recorded.put(key, call);
        charged.put(key, take);
        long after = available();
        return new Done(result -> {
          HoldSettlement s = assertInstanceOf(HoldSettlement.class, result);
          assertEquals(List.of(c.hold(), hold.op(), c.outcome(), c.retryOf(), hold.amount(), metered, due, take, after),
              List.of(s.hold(), s.operation().id(), s.outcome().kind(), s.outcome().retryOf(), s.held().thousandths(),
                  s.metered().thousandths(), s.due().thousandths(), s.charged().thousandths(),
                  s.balanceAfter().thousandths()),
              "capture: hold, op, outcome, retryOf, held, metered, due, charged, available after");
        });
      }
      if (call instanceof ReleaseCall r) {
        Hold hold = holds.remove(r.hold());
        if (hold == null) {
          return new Fails(HoldStateException.class);
        }
        recorded.put(key, call);
        long after = available();
        return new Done(result -> {
          HoldSettlement s = assertInstanceOf(HoldSettlement.class, result);
          assertNull(s.outcome());
          assertEquals(List.of(r.hold(), hold.amount(), 0L, after),
              List.of(s.hold(), s.held().thousandths(), s.charged().thousandths(), s.balanceAfter().thousandths()),
              "release: hold, held, charged, available after");
        });
      }
      if (call instanceof TopUpCall || call instanceof CustomTopUpCall) {
        String pack = call instanceof TopUpCall t ? t.pack() : "custom";
        long credits = call instanceof TopUpCall t ? packCredits(t.pack()) : ((CustomTopUpCall) call).cents() * 100;
        credit("pack:" + key, credits);
        recorded.put(key, call);
        long after = available();
        return new Done(result -> {
          TopUp t = assertInstanceOf(TopUp.class, result);
          assertEquals(List.of("pack:" + key, pack, credits, after),
              List.of(t.grant(), t.pack(), t.credits().thousandths(), t.balanceAfter().thousandths()),
              "top-up: grant, pack, credits, available after");
        });
      }
      if (call instanceof PlanCall p) {
        String from = plan;
        boolean immediate = rank(p.plan()) > rank(plan);
        Instant effective = immediate ? at : nextRenewal();
        if (immediate) { // upgrade: the new allowance replaces what is left; a new period starts
          subscription = 0;
          plan = p.plan();
          renewalPlan = p.plan();
          anchor = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
          period = 0;
          grantSubscription(allowance(plan));
          trimHolds();
        } else { // downgrade, or back to the current plan: from the next renewal
          renewalPlan = p.plan();
        }
        recorded.put(key, call);
        long after = available();
        return new Done(result -> {
          PlanChange c = assertInstanceOf(PlanChange.class, result);
          assertEquals(List.of(from, p.plan(), immediate, effective, after),
              List.of(c.from(), c.to(), c.immediate(), c.effectiveAt(), c.balanceAfter().thousandths()),
              "plan change: from, to, immediate, effective, available after");
        });
      }
      if (call instanceof RefundPackCall r) {
        String grant = "pack:" + r.payment();
        long remaining = packs.getOrDefault(grant, 0L);
        if (r.thousandths() <= 0 || r.thousandths() > remaining || r.thousandths() > available()) {
          return new Fails(InvalidRequestException.class); // never the credits open holds reserve
        }
        if (remaining == r.thousandths()) {
          packs.remove(grant);
        } else {
          packs.put(grant, remaining - r.thousandths());
        }
        recorded.put(key, call);
        long after = available();
        return new Done(result -> {
          BalanceChange c = assertInstanceOf(BalanceChange.class, result);
          assertEquals(List.of(grant, -r.thousandths(), after),
              List.of(c.grant(), c.amount().thousandths(), c.balanceAfter().thousandths()),
              "pack refund: grant, amount, available after");
        });
      }
      if (call instanceof RefundChargeCall r) {
        long left = charged.get(r.charge()) - refunded.getOrDefault(r.charge(), 0L);
        if (r.thousandths() <= 0 || r.thousandths() > left) {
          return new Fails(InvalidRequestException.class);
        }
        credit("refund:" + key, r.thousandths());
        refunded.merge(r.charge(), r.thousandths(), Long::sum);
        recorded.put(key, call);
        long after = available();
        return new Done(result -> {
          BalanceChange c = assertInstanceOf(BalanceChange.class, result);
          assertEquals(List.of("refund:" + key, r.thousandths(), after),
              List.of(c.grant(), c.amount().thousandths(), c.balanceAfter().thousandths()),
              "charge refund: grant, amount, available after");
        });
      }
      throw new AssertionError(call);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The state: the gate under test beside the model

  static final class InFlight {
    final InMemoryWalletStore store = InMemoryWalletStore.create();
    final CreditGate gate = CreditGate.builder(store).holdTimeToLive(TTL).build();
    Instant now = START;
    /** The wallet as it logically stands now. */
    final Model model = new Model(START);
    /** The wallet as of the last commit, which is what the ledger must sum to. */
    Model committed = model.copy();
    final Map<String, Object> firstResults = new HashMap<>();
    final Map<String, Call> denied = new LinkedHashMap<>();
    /** Every hold ever reserved (open or not), by id, with its operation. */
    final Map<String, String> holdOps = new LinkedHashMap<>();
    private int keys;

    InFlight() {
      gate.openWallet(ACCOUNT, ZoneOffset.UTC, START);
    }

    String freshKey() {
      return "k" + (++keys);
    }

    StoredWallet stored() {
      return store.load(ACCOUNT).orElseThrow();
    }

    List<LedgerEntry> ledger() {
      List<LedgerEntry> entries = new ArrayList<>();
      try (Stream<LedgerEntry> read = store.readLedger(ACCOUNT, Instant.MIN, Instant.MAX)) {
        read.forEachOrdered(entries::add);
      }
      return entries;
    }

    /** Moves the clock forward to {@code at} (never back). */
    void advanceTo(Instant at) {
      if (at.isAfter(now)) {
        now = at;
      }
    }

    /** Runs {@code call} with {@code key} against the gate and checks it did what the model says. */
    void perform(Call call, String key) {
      String what = call + " with key " + key + " at " + now;
      StoredWallet before = stored();
      List<LedgerEntry> ledgerBefore = ledger();
      boolean wasRecorded = store.findRecord(ACCOUNT, IdempotencyKey.of(key)).isPresent();
      assertEquals(model.recorded.containsKey(key), wasRecorded, "key recorded? " + what);
      model.rollForward(now);
      long balanceRolled = model.balance();
      long heldRolled = model.held();

      Expect expect = model.expect(call, key, now);
      Statistics.label("calls").collect(call.getClass().getSimpleName() + " -> " + expect.getClass().getSimpleName());
      Object result = null;
      CreditGateException thrown = null;
      try {
        result = call.invoke(gate, IdempotencyKey.of(key), now);
      } catch (CreditGateException e) {
        thrown = e;
      }

      if (expect instanceof Done done) {
        if (thrown != null) {
          throw new AssertionError("expected " + what + " to succeed, but it threw " + thrown, thrown);
        }
        done.verify.accept(result);
        firstResults.put(key, result);
        denied.remove(key);
        if (call instanceof ReserveCall r) {
          holdOps.put(key, r.op());
        }
        committed = model.copy();
        assertTrue(store.findRecord(ACCOUNT, IdempotencyKey.of(key)).isPresent(), "key not recorded: " + what);
        List<LedgerEntry> added = appendedTo(ledgerBefore);
        long balanceDelta = 0;
        long heldDelta = 0;
        for (LedgerEntry e : added) {
          assertTrue(e.key().equals(key) || e.key().isEmpty(), "entry " + e + " of " + what + " names another key");
          if (e.key().equals(key)) {
            if (isHoldKind(e.kind())) {
              heldDelta += e.amount().thousandths();
            } else {
              balanceDelta += e.amount().thousandths();
            }
          }
        }
        assertEquals(model.balance() - balanceRolled, balanceDelta, "ledger entries of " + what + " change the balance by");
        assertEquals(model.held() - heldRolled, heldDelta, "ledger entries of " + what + " change the held credits by");
        return;
      }

      // Everything else writes nothing: not the wallet, not the ledger, not the key.
      if (expect instanceof Replay) {
        if (thrown != null) {
          throw new AssertionError("expected the repeated " + what + " to return its first result, but it threw "
              + thrown, thrown);
        }
        assertEquals(firstResults.get(key), result, "a repeated key must return the first result: " + what);
      } else if (expect instanceof Conflict) {
        assertInstanceOf(IdempotencyConflictException.class, thrown, "conflicting key: " + what + " returned " + result);
      } else if (expect instanceof Fails f) {
        assertInstanceOf(f.type(), thrown, what + " returned " + result);
      } else if (expect instanceof Denied d) {
        if (thrown != null) {
          throw new AssertionError("expected " + what + " to be denied, but it threw " + thrown, thrown);
        }
        Decision.Denied decision = assertInstanceOf(Decision.Denied.class, result, what);
        assertEquals(List.of(d.cost(), d.availableBefore(), d.cost() - d.availableBefore()),
            List.of(decision.cost().thousandths(), decision.balanceBefore().thousandths(),
                decision.shortfall().thousandths()), "denied: cost, available, shortfall of " + what);
        denied.put(key, call);
      }
      assertEquals(before, stored(), "the stored wallet changed after " + what);
      assertEquals(ledgerBefore, ledger(), "the ledger changed after " + what);
      assertEquals(wasRecorded, store.findRecord(ACCOUNT, IdempotencyKey.of(key)).isPresent(),
          "the key's record changed after " + what);
    }

    /** The expiry sweep at {@code now + seconds}: it must commit exactly when a stored hold is due. */
    void sweep(long seconds) {
      advanceTo(now.plusSeconds(seconds));
      StoredWallet before = stored();
      List<LedgerEntry> ledgerBefore = ledger();
      boolean due = committed.holds.values().stream().anyMatch(h -> !h.expiresAt().isAfter(now));
      int changed = gate.expireHolds(now);
      Statistics.label("sweep").collect(changed);
      model.rollForward(now);
      assertEquals(due ? 1 : 0, changed, "wallets the sweep changed at " + now);
      if (due) {
        committed = model.copy();
        for (LedgerEntry e : appendedTo(ledgerBefore)) {
          assertEquals("", e.key(), "the sweep's entries name no key: " + e);
        }
      } else {
        assertEquals(before, stored(), "a sweep with nothing due changed the wallet");
      }
      for (Hold hold : Wallet.of(stored().state()).holds()) {
        assertTrue(hold.expiresAt().isAfter(now), "the sweep left expired hold " + hold);
      }
    }

    /** The entries appended since {@code before}, checking that {@code before} is still a prefix. */
    private List<LedgerEntry> appendedTo(List<LedgerEntry> before) {
      List<LedgerEntry> after = ledger();
      assertTrue(after.size() >= before.size(), "the ledger shrank");
      assertEquals(before, after.subList(0, before.size()), "the ledger is append-only");
      return after.subList(before.size(), after.size());
    }

    static boolean isHoldKind(LedgerEntry.Kind kind) {
      return kind == LedgerEntry.Kind.HOLD || kind == LedgerEntry.Kind.RELEASE;
    }

    // Invariants, checked after every step ------------------------------------------------------

    void statusEqualsModel() {
      model.rollForward(now);
      WalletStatus s = gate.status(ACCOUNT, now);
      assertEquals(
          List.of(model.plan, model.renewalPlan, model.subscription, model.packTotal(), model.held(), model.debt,
              model.available(), model.nextRenewal()),
          List.of(s.plan(), s.renewalPlan(), s.subscription().thousandths(), s.packs().thousandths(),
              s.held().thousandths(), s.debt().thousandths(), s.available().thousandths(), s.nextRenewal()),
          "status at " + now + ": plan, renewal plan, subscription, packs, held, debt, available, next renewal"
              + " (thousandths)");
    }

    void ledgerSumsToStoredBalances() {
      Map<String, Long> balanceByGrant = new HashMap<>();
      Map<String, Long> heldByHold = new HashMap<>();
      for (LedgerEntry e : ledger()) {
        (isHoldKind(e.kind()) ? heldByHold : balanceByGrant).merge(e.grant(), e.amount().thousandths(), Long::sum);
      }
      Map<String, Long> expectedBalance = new HashMap<>(committed.packs);
      expectedBalance.put(LedgerEntry.SUBSCRIPTION, committed.subscription);
      expectedBalance.put(LedgerEntry.OVERDRAFT, -committed.debt);
      Map<String, Long> expectedHeld = new HashMap<>();
      committed.holds.forEach((id, h) -> expectedHeld.put(id, h.amount()));
      assertEquals(nonZero(expectedBalance), nonZero(balanceByGrant), "ledger sum per grant vs the model's");
      assertEquals(nonZero(expectedHeld), nonZero(heldByHold), "ledger sum per hold vs the model's");

      Wallet w = Wallet.of(stored().state());
      assertEquals(committed.balance(), balanceByGrant.values().stream().mapToLong(Long::longValue).sum(),
          "ledger balance sum");
      assertEquals(List.of(committed.subscription, committed.packTotal(), committed.held(), committed.debt),
          List.of(w.subscription().thousandths(), w.packCredits().thousandths(), w.held().thousandths(),
              w.debt().thousandths()), "stored wallet: subscription, packs, held, debt");
      LedgerReplay replay = gate.replay(ACCOUNT);
      assertTrue(replay.isConsistent(), "replay: " + replay);
    }

    private static Map<String, Long> nonZero(Map<String, Long> sums) {
      Map<String, Long> result = new java.util.TreeMap<>();
      sums.forEach((k, v) -> {
        if (v != 0) {
          result.put(k, v);
        }
      });
      return result;
    }

    void heldCreditsNeverSpentTwice() {
      model.rollForward(now);
      WalletStatus s = gate.status(ACCOUNT, now);
      assertEquals(model.held(), s.held().thousandths(), "held = the sum of the model's open holds");
      assertTrue(s.available().thousandths() >= 0,
          "available credits went negative: held credits are spent twice (" + s + ")");
      assertEquals(Credits.ZERO, s.debt(), "a wallet without overdraft fell into debt (" + s + ")");
    }

    void walletKeepsItsInvariants() {
      assertEquals(List.of(), Wallet.of(stored().state()).invariantViolations());
    }

    @Override
    public String toString() {
      return "at " + now + ": plan " + model.plan + "->" + model.renewalPlan + ", subscription "
          + model.subscription + ", packs " + model.packs + ", holds " + model.holds.keySet() + ", debt " + model.debt
          + ", available " + model.available() + " (thousandths)";
    }
  }
}
