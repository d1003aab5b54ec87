package dev.creditgate.testkit;

import dev.creditgate.model.Outcome;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Combinators;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;
import net.jqwik.api.state.Action;

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
   * Promotional grants made at {@code now}: 0.001 to 40 credits, expiring from a minute to 45 days
   * later (within a hold's time-to-live now and then, and now and then at {@code now} itself, which
   * the gate refuses), for every operation or scoped to images or to AI chat messages, at priority
   * 0, 50 or 100.
   *
   * @param now the time of the grant
   * @return promotional grants
   */
  public static Arbitrary<GateCall.GrantPromotion> promotions(Instant now) {
    Arbitrary<Long> seconds = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.longs().between(60, 45L * 86_400)),
        Tuple.of(2, Arbitraries.longs().between(1, 900)),
        Tuple.of(1, Arbitraries.just(0L)));
    Arbitrary<Long> credits = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.longs().between(1_000, 40_000)),
        Tuple.of(1, Arbitraries.longs().between(1, 999)));
    return Combinators.combine(credits, seconds, Arbitraries.of("", GateCall.GENERATE_IMAGE, GateCall.AI_CHAT_MESSAGE),
        Arbitraries.of(0, 50, 100)).as((c, sec, scope, priority) ->
            new GateCall.GrantPromotion(c, now.plusSeconds(sec), scope, priority));
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

  // Actions (made in ChainActions) ------------------------------------------------------------

  /**
   * A charge with a fresh key: allowed, denied, or refused as bad input.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> charge() {
    return ChainActions.charge();
  }

  /**
   * A reserve with a fresh key, which becomes the hold's id.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> reserve() {
    return ChainActions.reserve();
  }

  /**
   * A capture of a hold ever reserved (mostly an open one; a closed or expired one must be refused),
   * with an actual quantity from none to far more than reserved and every outcome, a retry naming
   * an earlier hold.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> capture() {
    return ChainActions.capture();
  }

  /**
   * A release of a hold ever reserved (refused unless it is open).
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> release() {
    return ChainActions.release();
  }

  /**
   * Time moves forward 1 s to 20 min.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> advance() {
    return ChainActions.advance();
  }

  /**
   * Time moves to an open hold's expiry, or up to two minutes past it.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> pastHoldTtl() {
    return ChainActions.pastHoldTtl();
  }

  /**
   * Time moves forward up to 15 min and the gate's expiry sweep runs: it must change the wallet
   * exactly when a stored hold is due, and leave no expired hold behind.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> sweep() {
    return ChainActions.sweep();
  }

  /**
   * A pack top-up with a fresh payment key.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> topUp() {
    return ChainActions.topUp();
  }

  /**
   * A custom top-up with a fresh payment key (sometimes outside the accepted prices).
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> topUpCustom() {
    return ChainActions.topUpCustom();
  }

  /**
   * Time jumps to the next renewal, or up to two more months and two days past it.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> acrossRenewal() {
    return ChainActions.acrossRenewal();
  }

  /**
   * Time moves to just before the next renewal, within half a hold's time-to-live of it.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> justBeforeRenewal() {
    return ChainActions.justBeforeRenewal();
  }

  /**
   * A promotional grant with a fresh key, made at the chain's time (see {@link #promotions}).
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> grantPromotion() {
    return ChainActions.grantPromotion();
  }

  /**
   * A plan change with a fresh key: an upgrade (immediate), a downgrade, or the same plan.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> changePlan() {
    return ChainActions.changePlan();
  }

  /**
   * Refunds part of a pack purchase. The amount is decided when the action runs: a share of what
   * is left of the grant (refused when it would take credits open holds reserve), or more than is
   * left of the grant (bad input).
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> refundPack() {
    return ChainActions.refundPack();
  }

  /**
   * {@code reversePack} of a pack a recorded top-up bought (most often one not yet reversed), or
   * of a payment that bought none: a reversal takes back what is left and owes what was spent.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> reversePack() {
    return ChainActions.reversePack();
  }

  /**
   * Refunds part of a charge or capture: mostly within what is left of it, sometimes all of it or
   * beyond it (bad input), and sometimes of a key that is not a charge (bad input).
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> refundCharge() {
    return ChainActions.refundCharge();
  }

  /**
   * A recorded call again, with its key and equal arguments: the first result, nothing changed.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> repeatKey() {
    return ChainActions.repeatKey();
  }

  /**
   * A recorded key reused for another call: a conflict, nothing changed.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> conflictingKey() {
    return ChainActions.conflictingKey();
  }

  /**
   * A denied charge or reserve retried with its key (never recorded, so decided afresh).
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> retryDenied() {
    return ChainActions.retryDenied();
  }

  /**
   * Sets one of the chains' two auto top-up rules ({@link GateCall.SetAutoTopUp}), or turns auto
   * top-up off, with a fresh key.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Independent<InFlightWork> setAutoTopUp() {
    return ChainActions.setAutoTopUp();
  }

  /**
   * The host confirms the open auto top-up request: a top-up of the Small pack under the request's
   * id, or now and then of another pack (refused). Only while a request is open.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> confirmAutoTopUp() {
    return ChainActions.confirmAutoTopUp();
  }

  /**
   * The host reports a decline of the open auto top-up request, or now and then of a request that
   * is not open (refused). Only while a request is open.
   *
   * @return the action, for {@code ActionChainArbitrary.withAction}
   */
  public static Action.Dependent<InFlightWork> declineAutoTopUp() {
    return ChainActions.declineAutoTopUp();
  }
}
