package dev.creditgate.testkit;

import dev.creditgate.model.Outcome;
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
 * The jqwik arbitraries of in-flight work: calls of the gate ({@link GateCall}s whose values reach
 * the interesting cases: affordable and not, metered and fixed-price, valid and bad input), and the
 * {@link Action}s of an {@link InFlightWork} chain, each making its call on the gate and on the
 * model and checking the gate did what the model says. Actions that need something to act on (a
 * hold, a payment, a recorded or denied key) draw it from the current state and declare a
 * precondition.
 *
 * <p>{@link GateChains#inFlightWork} combines all of them with tested weights; use these to build a
 * chain of your own, for instance one that stresses holds:
 *
 * <pre>{@code
 * ActionChain.startWith(GateChains.states(() -> myStore()))
 *     .withAction(5, GateArbitraries.reserve())
 *     .withAction(5, GateArbitraries.capture())
 *     .withAction(3, GateArbitraries.pastHoldTtl())
 *     .withAction(1, GateArbitraries.sweep())
 *     .withMaxTransformations(30);
 * }</pre>
 *
 * <p>Every arbitrary here is stateless; the actions' transformers change only the chain's state.
 */
public final class GateArbitraries {
  private GateArbitraries() {}

  // Calls ----------------------------------------------------------------------------------------

  /**
   * An operation of the default cost table and a quantity: mostly affordable AI messages, some
   * too expensive for any wallet of the chain, plan-mode messages, images and integrations, and
   * now and then a quantity of zero of a fixed-price operation (bad input).
   */
  private static Arbitrary<GateCall.Charge> work() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.longs().between(0, 250_000).map(q -> new GateCall.Charge(GateCall.AI_CHAT_MESSAGE, q))),
        Tuple.of(2, Arbitraries.longs().between(250_000, 3_000_000)
            .map(q -> new GateCall.Charge(GateCall.AI_CHAT_MESSAGE, q))),
        Tuple.of(2, Arbitraries.longs().between(0, 100_000).map(q -> new GateCall.Charge(GateCall.PLAN_MODE_MESSAGE, q))),
        Tuple.of(2, Arbitraries.longs().between(0, 40).map(q -> new GateCall.Charge(GateCall.GENERATE_IMAGE, q))),
        Tuple.of(1, Arbitraries.longs().between(1, 30).map(q -> new GateCall.Charge(GateCall.CONNECT_INTEGRATION, q))));
  }

  /**
   * Charges of the operations and quantities described at {@link #reserves()}.
   *
   * @return charges
   */
  public static Arbitrary<GateCall.Charge> charges() {
    return work();
  }

  /**
   * Reserves: an operation of the default cost table and a quantity, mostly affordable AI messages
   * (up to 250,000 tokens), some too expensive for any wallet of a chain (up to 3,000,000), plan-mode
   * messages, images and integrations, and now and then zero of a fixed-price operation (bad input).
   *
   * @return reserves
   */
  public static Arbitrary<GateCall.Reserve> reserves() {
    return work().map(w -> new GateCall.Reserve(w.operation(), w.quantity()));
  }

  /**
   * Top-ups of each pack of the default catalogue.
   *
   * @return pack top-ups
   */
  public static Arbitrary<GateCall.TopUp> topUps() {
    return Arbitraries.of("small", "medium", "large").map(GateCall.TopUp::new);
  }

  /**
   * Custom top-ups: mostly $5 to $50, some up to $1,000, and one in ten outside the $5 to $1,000
   * the catalogue accepts (bad input).
   *
   * @return custom top-ups
   */
  public static Arbitrary<GateCall.CustomTopUp> customTopUps() {
    Arbitrary<Long> cents = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.longs().between(500, 5_000)),
        Tuple.of(1, Arbitraries.longs().between(5_001, 100_000)),
        Tuple.of(1, Arbitraries.of(1L, 499L, 100_001L, 250_000L)));
    return cents.map(GateCall.CustomTopUp::new);
  }

  /**
   * Changes to each plan of the default catalogue: upgrades, downgrades and back to the same plan.
   *
   * @return plan changes
   */
  public static Arbitrary<GateCall.ChangePlan> planChanges() {
    return Arbitraries.of("free", "pro", "team").map(GateCall.ChangePlan::new);
  }

  /**
   * Every outcome; a retry names one of {@code earlierKeys} (which must not be empty).
   *
   * @param earlierKeys the reserve keys a retry may name
   * @return outcomes of every kind
   */
  public static Arbitrary<Outcome> outcomes(List<String> earlierKeys) {
    List<String> earlier = List.copyOf(earlierKeys);
    return Arbitraries.of(Outcome.Kind.values()).flatMap(kind -> kind == Outcome.Kind.RETRY
        ? Arbitraries.of(earlier).map(k -> new Outcome(Outcome.Kind.RETRY, k))
        : Arbitraries.just(new Outcome(kind, "")));
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

  // Actions --------------------------------------------------------------------------------------
  //
  // A dependent action's arbitrary copies what it draws from the state when it is made: jqwik keeps
  // the arbitrary to shrink a failing chain and runs its transformers on the states of other runs,
  // so nothing it draws may be read from the (by then changed) state it was made from.

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

  /**
   * A charge with a fresh key: allowed, denied, or refused as bad input.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> charge() {
    return independent(charges().map(GateArbitraries::call));
  }

  /**
   * A reserve with a fresh key, which becomes the hold's id.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> reserve() {
    return independent(reserves().map(GateArbitraries::call));
  }

  /**
   * A capture of a hold ever reserved (mostly an open one; a closed or expired one must be refused),
   * with an actual quantity from none to far more than reserved and every outcome, a retry naming
   * an earlier hold.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> capture() {
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
        return Combinators.combine(hold, Arbitraries.longs().between(0, 3_000_000), outcomes(all))
            .as((h, q, o) -> {
              long quantity = GateModel.isFixedPrice(ops.get(h)) ? q % 41 : q;
              return call(new GateCall.Capture(h, quantity, o.kind(), o.retryOf()));
            });
      }
    };
  }

  /**
   * A release of a hold ever reserved (refused unless it is open).
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> release() {
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

  /**
   * Time moves forward 1 s to 20 min.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> advance() {
    return independent(Arbitraries.longs().between(1, 1_200).map(sec -> Transformer.mutate("advance " + sec + "s",
        s -> s.advanceTo(s.now.plusSeconds(sec)))));
  }

  /**
   * Time moves to an open hold's expiry, or up to two minutes past it.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> pastHoldTtl() {
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

  /**
   * Time moves forward up to 15 min and the gate's expiry sweep runs: it must change the wallet
   * exactly when a stored hold is due, and leave no expired hold behind.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> sweep() {
    return independent(Arbitraries.longs().between(0, 900).map(sec -> Transformer.mutate(
        "advance " + sec + "s and sweep expired holds", s -> s.sweep(sec))));
  }

  /**
   * A pack top-up with a fresh payment key.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> topUp() {
    return independent(topUps().map(GateArbitraries::call));
  }

  /**
   * A custom top-up with a fresh payment key (sometimes outside the accepted prices).
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> topUpCustom() {
    return independent(customTopUps().map(GateArbitraries::call));
  }

  /**
   * Time jumps to the next renewal, or up to two more months and two days past it.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> acrossRenewal() {
    return independent(Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.longs().between(0, 172_800))
        .as((months, sec) -> Transformer.mutate(
            "jump " + months + " month(s) and " + sec + "s past the next renewal", s -> {
              s.roll();
              s.advanceTo(s.model.periodStart(s.model.period() + 1 + months).plusSeconds(sec));
            })));
  }

  /**
   * Time moves to just before the next renewal, within half a hold's time-to-live of it.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> justBeforeRenewal() {
    return independent(Arbitraries.longs().between(1, InFlightWork.HOLD_TIME_TO_LIVE.toSeconds() / 2)
        .map(sec -> Transformer.mutate("move to " + sec + "s before the next renewal", s -> {
          s.roll();
          Instant target = s.model.nextRenewal().minusSeconds(sec);
          if (target.isAfter(s.now)) {
            s.advanceTo(target);
          }
        })));
  }

  /**
   * A plan change with a fresh key: an upgrade (immediate), a downgrade, or the same plan.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> changePlan() {
    return independent(planChanges().map(GateArbitraries::call));
  }

  /**
   * Refunds part of a pack purchase. The amount is decided when the action runs: a share of what
   * is left of the grant (refused when it would take credits open holds reserve), or more than is
   * left of the grant (bad input).
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> refundPack() {
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

  /**
   * Refunds part of a charge or capture: mostly within what is left of it, sometimes all of it or
   * beyond it (bad input), and sometimes of a key that is not a charge (bad input).
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> refundCharge() {
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
          return refundAmount(left).map(credits -> call(new GateCall.RefundCharge(k, credits)));
        });
      }
    };
  }

  /**
   * A recorded call again, with its key and equal arguments: the first result, nothing changed.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> repeatKey() {
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

  /**
   * A recorded key reused for another call: a conflict, nothing changed.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> conflictingKey() {
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

  /**
   * A denied charge or reserve retried with its key (never recorded, so decided afresh).
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> retryDenied() {
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
}
