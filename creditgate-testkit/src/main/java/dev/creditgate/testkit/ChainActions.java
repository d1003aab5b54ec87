package dev.creditgate.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.Transformer;

/**
 * The actions of an {@link InFlightWork} chain, as {@link GateArbitraries} hands them out (each
 * documented there): a call drawn from {@code GateArbitraries}' call arbitraries, made with a fresh
 * key or one drawn from the state, or a move of the chain's clock. Each transformer changes only
 * the chain's state.
 *
 * <p>A dependent action's arbitrary copies what it draws from the state when it is made: jqwik keeps
 * the arbitrary to shrink a failing chain and runs its transformers on the states of other runs,
 * so nothing it draws may be read from the (by then changed) state it was made from.
 */
final class ChainActions {
  private ChainActions() {}

  /** A copy of {@code map}'s entries, in order. */
  private static <V> List<Map.Entry<String, V>> entries(Map<String, V> map) {
    List<Map.Entry<String, V>> copy = new ArrayList<>(map.size());
    map.forEach((k, v) -> copy.add(Map.entry(k, v)));
    return copy;
  }

  private static Transformer<InFlightWork> call(GateCall call) {
    return Transformer.mutate(call.toString(), s -> s.perform(call, s.freshKey()));
  }

  private static Action.Independent<InFlightWork> independent(Arbitrary<Transformer<InFlightWork>> transformers) {
    return () -> transformers;
  }

  /** See {@link GateArbitraries#charge()}. */
  static Action.Independent<InFlightWork> charge() {
    return independent(GateArbitraries.charges().map(ChainActions::call));
  }

  /** See {@link GateArbitraries#reserve()}. */
  static Action.Independent<InFlightWork> reserve() {
    return independent(GateArbitraries.reserves().map(ChainActions::call));
  }

  /** See {@link GateArbitraries#capture()}. */
  static Action.Dependent<InFlightWork> capture() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(InFlightWork s) {
        return !s.holdOps.isEmpty();
      }

      @Override
      public Arbitrary<Transformer<InFlightWork>> transformer(InFlightWork s) {
        Map<String, String> ops = Map.copyOf(s.holdOps);
        List<String> all = new ArrayList<>(s.holdOps.keySet());
        List<String> open = new ArrayList<>(s.model.holds().keySet());
        Arbitrary<String> hold = open.isEmpty() ? Arbitraries.of(all)
            : Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(open)), Tuple.of(1, Arbitraries.of(all)));
        return Combinators.combine(hold, Arbitraries.longs().between(0, 3_000_000), GateArbitraries.outcomes(all))
            .as((h, q, o) -> {
              long quantity = GateModel.isFixedPrice(ops.get(h)) ? q % 41 : q;
              return call(new GateCall.Capture(h, quantity, o.kind(), o.retryOf()));
            });
      }
    };
  }

  /** See {@link GateArbitraries#release()}. */
  static Action.Dependent<InFlightWork> release() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(InFlightWork s) {
        return !s.holdOps.isEmpty();
      }

      @Override
      public Arbitrary<Transformer<InFlightWork>> transformer(InFlightWork s) {
        return Arbitraries.of(new ArrayList<>(s.holdOps.keySet())).map(h -> call(new GateCall.Release(h)));
      }
    };
  }

  /** See {@link GateArbitraries#advance()}. */
  static Action.Independent<InFlightWork> advance() {
    return independent(Arbitraries.longs().between(1, 1_200).map(sec -> Transformer.mutate("advance " + sec + "s",
        s -> s.advanceTo(s.now.plusSeconds(sec)))));
  }

  /** See {@link GateArbitraries#pastHoldTtl()}. */
  static Action.Dependent<InFlightWork> pastHoldTtl() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(InFlightWork s) {
        return !s.model.holds().isEmpty();
      }

      @Override
      public Arbitrary<Transformer<InFlightWork>> transformer(InFlightWork s) {
        return Combinators.combine(Arbitraries.of(new ArrayList<>(s.model.holds().keySet())),
            Arbitraries.longs().between(0, 120)).as((h, sec) -> Transformer.mutate(
                "move time " + sec + "s past the TTL of hold " + h, st -> {
                  GateModel.Hold hold = st.model.holds().get(h);
                  if (hold != null) {
                    st.advanceTo(hold.expiresAt().plusSeconds(sec));
                  }
                }));
      }
    };
  }

  /** See {@link GateArbitraries#sweep()}. */
  static Action.Independent<InFlightWork> sweep() {
    return independent(Arbitraries.longs().between(0, 900).map(sec -> Transformer.mutate(
        "advance " + sec + "s and sweep expired holds", s -> s.sweep(sec))));
  }

  /** See {@link GateArbitraries#topUp()}. */
  static Action.Independent<InFlightWork> topUp() {
    return independent(GateArbitraries.topUps().map(ChainActions::call));
  }

  /** See {@link GateArbitraries#topUpCustom()}. */
  static Action.Independent<InFlightWork> topUpCustom() {
    return independent(GateArbitraries.customTopUps().map(ChainActions::call));
  }

  /** See {@link GateArbitraries#acrossRenewal()}. */
  static Action.Independent<InFlightWork> acrossRenewal() {
    return independent(Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.longs().between(0, 172_800))
        .as((months, sec) -> Transformer.mutate(
            "jump " + months + " month(s) and " + sec + "s past the next renewal", s -> {
              s.roll();
              s.advanceTo(s.model.periodStart(s.model.period() + 1 + months).plusSeconds(sec));
            })));
  }

  /** See {@link GateArbitraries#justBeforeRenewal()}. */
  static Action.Independent<InFlightWork> justBeforeRenewal() {
    return independent(Arbitraries.longs().between(1, InFlightWork.HOLD_TIME_TO_LIVE.toSeconds() / 2)
        .map(sec -> Transformer.mutate("move to " + sec + "s before the next renewal", s -> {
          s.roll();
          Instant target = s.model.nextRenewal().minusSeconds(sec);
          if (target.isAfter(s.now)) {
            s.advanceTo(target);
          }
        })));
  }

  /** See {@link GateArbitraries#grantPromotion()}. */
  static Action.Dependent<InFlightWork> grantPromotion() {
    return new Action.Dependent<>() {
      @Override
      public Arbitrary<Transformer<InFlightWork>> transformer(InFlightWork s) {
        Instant now = s.now;
        return GateArbitraries.promotions(now).map(ChainActions::call);
      }
    };
  }

  /** See {@link GateArbitraries#changePlan()}. */
  static Action.Independent<InFlightWork> changePlan() {
    return independent(GateArbitraries.planChanges().map(ChainActions::call));
  }

  /** See {@link GateArbitraries#refundPack()}. */
  static Action.Dependent<InFlightWork> refundPack() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(InFlightWork s) {
        return s.model.recorded().values().stream()
            .anyMatch(c -> c instanceof GateCall.TopUp || c instanceof GateCall.CustomTopUp);
      }

      @Override
      public Arbitrary<Transformer<InFlightWork>> transformer(InFlightWork s) {
        List<String> payments = new ArrayList<>();
        s.model.recorded().forEach((k, c) -> {
          if (c instanceof GateCall.TopUp || c instanceof GateCall.CustomTopUp) {
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
              st.roll();
              long left = st.model.packs().getOrDefault("pack:" + p, 0L);
              long amount = share > 0 && left > 0 ? Math.max(1, left * share / 1000) : left + Math.max(1, -share);
              st.perform(new GateCall.RefundPack(p, amount), st.freshKey());
            }));
      }
    };
  }

  /** See {@link GateArbitraries#reversePack()}. */
  static Action.Dependent<InFlightWork> reversePack() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(InFlightWork s) {
        return s.model.recorded().values().stream()
            .anyMatch(c -> c instanceof GateCall.TopUp || c instanceof GateCall.CustomTopUp);
      }

      @Override
      public Arbitrary<Transformer<InFlightWork>> transformer(InFlightWork s) {
        List<String> fresh = new ArrayList<>();
        List<String> reversed = new ArrayList<>();
        s.model.recorded().forEach((k, c) -> {
          if (c instanceof GateCall.TopUp || c instanceof GateCall.CustomTopUp) {
            (s.model.reversedOwed().containsKey("pack:" + k) ? reversed : fresh).add(k);
          }
        });
        List<Tuple.Tuple2<Integer, Arbitrary<String>>> choices = new ArrayList<>();
        if (!fresh.isEmpty()) {
          choices.add(Tuple.of(8, Arbitraries.of(fresh)));
        }
        if (!reversed.isEmpty()) {
          choices.add(Tuple.of(2, Arbitraries.of(reversed))); // reversed already: refused
        }
        choices.add(Tuple.of(1, Arbitraries.just("no-such-payment")));
        @SuppressWarnings("unchecked")
        Arbitrary<String> payment = Arbitraries.frequencyOf(choices.toArray(new Tuple.Tuple2[0]));
        return payment.map(p -> Transformer.mutate("reverse pack " + p, st -> {
          st.roll();
          st.perform(new GateCall.ReversePack(p), st.freshKey());
        }));
      }
    };
  }

  /** See {@link GateArbitraries#refundCharge()}. */
  static Action.Dependent<InFlightWork> refundCharge() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(InFlightWork s) {
        return !s.model.recorded().isEmpty() || !s.denied.isEmpty();
      }

      @Override
      public Arbitrary<Transformer<InFlightWork>> transformer(InFlightWork s) {
        Map<String, Long> charged = Map.copyOf(s.model.charged());
        Map<String, Long> refunded = Map.copyOf(s.model.refunded());
        List<String> charges = new ArrayList<>(s.model.charged().keySet());
        List<String> others = new ArrayList<>(s.model.recorded().keySet());
        others.addAll(s.denied.keySet());
        Arbitrary<String> chargeKey = charges.isEmpty() ? Arbitraries.of(others)
            : Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of(charges)), Tuple.of(1, Arbitraries.of(others)));
        return chargeKey.flatMap(k -> {
          long left = charged.getOrDefault(k, 0L) - refunded.getOrDefault(k, 0L);
          return GateArbitraries.refundAmount(left).map(credits -> call(new GateCall.RefundCharge(k, credits)));
        });
      }
    };
  }

  /** See {@link GateArbitraries#repeatKey()}. */
  static Action.Dependent<InFlightWork> repeatKey() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(InFlightWork s) {
        return !s.model.recorded().isEmpty();
      }

      @Override
      public Arbitrary<Transformer<InFlightWork>> transformer(InFlightWork s) {
        return Arbitraries.of(entries(s.model.recorded())).map(e -> Transformer.mutate(
            "repeat " + e.getValue() + " with its key " + e.getKey(), st -> st.perform(e.getValue(), e.getKey())));
      }
    };
  }

  /** See {@link GateArbitraries#conflictingKey()}. */
  static Action.Dependent<InFlightWork> conflictingKey() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(InFlightWork s) {
        return !s.model.recorded().isEmpty();
      }

      @Override
      public Arbitrary<Transformer<InFlightWork>> transformer(InFlightWork s) {
        return Arbitraries.of(entries(s.model.recorded())).flatMap(e -> {
          String k = e.getKey();
          GateCall first = e.getValue();
          Arbitrary<GateCall> other = Arbitraries.oneOf(
              Arbitraries.longs().between(0, 50_000).map(q -> (GateCall) new GateCall.Charge(GateCall.AI_CHAT_MESSAGE, q)),
              Arbitraries.just(new GateCall.Reserve(GateCall.GENERATE_IMAGE, 1)),
              Arbitraries.just(new GateCall.TopUp("small")),
              Arbitraries.just(new GateCall.Release(k)),
              Arbitraries.just(new GateCall.ChangePlan("team")),
              Arbitraries.just(new GateCall.RefundPack(k, 1_000)));
          return other.filter(c -> !c.equals(first)).map(c -> Transformer.mutate(
              "reuse key " + k + " of " + first + " for " + c, st -> st.perform(c, k)));
        });
      }
    };
  }

  /** See {@link GateArbitraries#retryDenied()}. */
  static Action.Dependent<InFlightWork> retryDenied() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(InFlightWork s) {
        return !s.denied.isEmpty();
      }

      @Override
      public Arbitrary<Transformer<InFlightWork>> transformer(InFlightWork s) {
        return Arbitraries.of(entries(s.denied)).map(e -> Transformer.mutate(
            "retry denied " + e.getValue() + " with its key " + e.getKey(), st -> st.perform(e.getValue(), e.getKey())));
      }
    };
  }

  /** See {@link GateArbitraries#setAutoTopUp()}. */
  static Action.Independent<InFlightWork> setAutoTopUp() {
    return independent(Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just("AMOUNT")),
        Tuple.of(3, Arbitraries.just("COUNT")), Tuple.of(1, Arbitraries.just("OFF")))
        .map(rule -> call(new GateCall.SetAutoTopUp(rule))));
  }

  /** See {@link GateArbitraries#confirmAutoTopUp()}. */
  static Action.Dependent<InFlightWork> confirmAutoTopUp() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(InFlightWork s) {
        return s.model.autoTopUp().openNumber != 0;
      }

      @Override
      public Arbitrary<Transformer<InFlightWork>> transformer(InFlightWork s) {
        String request = s.model.autoTopUp().requestId(s.model.autoTopUp().openNumber);
        return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(ModelAutoTopUp.PACK)),
            Tuple.of(1, Arbitraries.just("medium"))) // another pack than the request's: refused
            .map(pack -> Transformer.mutate("top-up " + pack + " under " + request,
                st -> st.perform(new GateCall.TopUp(pack), request)));
      }
    };
  }

  /** See {@link GateArbitraries#declineAutoTopUp()}. */
  static Action.Dependent<InFlightWork> declineAutoTopUp() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(InFlightWork s) {
        return s.model.autoTopUp().openNumber != 0;
      }

      @Override
      public Arbitrary<Transformer<InFlightWork>> transformer(InFlightWork s) {
        ModelAutoTopUp auto = s.model.autoTopUp();
        long open = auto.openNumber;
        return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(open)),
            Tuple.of(1, Arbitraries.just(open + 1))) // not the open request: refused
            .map(n -> call(new GateCall.DeclineAutoTopUp(auto.requestId(n))));
      }
    };
  }
}
