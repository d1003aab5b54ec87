package dev.creditgate.testkit;

import dev.creditgate.spi.WalletStore;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.statistics.Statistics;

/**
 * The stateful property of the gate's in-flight work, ready to run against any store: random
 * sequences of up to 40 charges, reserves, captures (every outcome, retries naming an earlier hold),
 * releases, hold expiries (time moved past the time-to-live, and the {@code expireHolds} sweep),
 * pack and custom top-ups, promotional grants (scoped, prioritised, expiring, some within a hold's
 * time-to-live), renewals (time jumps across renewal dates, and to just before them),
 * upgrades and downgrades, refunds of packs and of charges, with repeated keys (equal arguments),
 * conflicting keys (other arguments) and retries of denied keys, each made on a real gate over the
 * store and on the {@link GateModel}. After every call the gate's result must be the model's; a
 * call that does not commit must leave the stored wallet, the ledger, the key's record and the
 * events untouched; and after every step the five invariants of {@link #run} must hold.
 *
 * <p>A store author (or a host with a store of its own) runs it in a few lines:
 *
 * <pre>{@code
 * class MyStoreInFlightWorkProperties {
 *   @Property(tries = 100, shrinking = ShrinkingMode.BOUNDED)
 *   void inFlightWorkConservesCreditsAndMatchesTheModel(@ForAll("chains") ActionChain<InFlightWork> chain) {
 *     GateChains.run(chain);
 *   }
 *
 *   @Provide
 *   Arbitrary<ActionChain<InFlightWork>> chains() {
 *     return GateChains.inFlightWork(() -> MyStore.connect(emptyTestDatabase()));
 *   }
 * }
 * }</pre>
 *
 * <p>The supplier is called once per sequence (and again for each sequence jqwik tries while it
 * shrinks a failure) and must return a new, empty store each time, or the same store emptied: the
 * sweep's count covers every wallet in the store. A sequence runs on one thread and needs one
 * connection at a time. Prefer {@code ShrinkingMode.BOUNDED}: full shrinking of a failing sequence of
 * 40 calls can run for many minutes, while the bounded budget (10 s) usually shrinks it to a handful
 * of calls. When that budget runs out, jqwik may still be running a sequence as the next property
 * starts: give each property of a class a store of its own (for a database, a schema of its own).
 * Add {@link #checkCoverage()} to a property of 100 tries or more.
 */
public final class GateChains {
  /**
   * The jqwik statistics label the sequences report under: each call as {@code "Charge -> Denied"}
   * (the call, then what the model expected), each sweep as {@code "sweep changed 1"}, each renewal
   * as {@code "renewal with open holds, same plan"}, and one {@code "sequences"} per sequence.
   */
  public static final String STATISTICS = "in-flight work";

  /** What the sequences must keep reaching; see {@link #checkCoverage()}. */
  static final List<String> REACHED = List.of("Charge -> Denied", "Reserve -> Denied", "Charge -> Replay",
      "Capture -> Replay", "Reserve -> Conflict", "Capture -> Done", "Capture -> Fails", "Release -> Done",
      "RefundPack -> Done", "RefundCharge -> Done", "RefundCharge -> Fails", "sweep changed 1",
      "renewal with open holds, same plan", "GrantPromotion -> Done", "GrantPromotion -> Fails",
      "promotion expired", "SetAutoTopUp -> Done", "DeclineAutoTopUp -> Done", "auto top-up requested",
      "ReversePack -> Done", "ReversePack -> Fails", "renewal with a rollover");

  private GateChains() {}

  /**
   * The chains' initial states: each a wallet opened on a store {@code stores} supplies, beside a
   * new model. For a chain of your own actions from {@link GateArbitraries}.
   *
   * @param stores a new, empty store on each call
   * @return the supplier, for {@code ActionChain.startWith}
   */
  public static Supplier<InFlightWork> states(Supplier<? extends WalletStore> stores) {
    Objects.requireNonNull(stores, "stores");
    return () -> new InFlightWork(Objects.requireNonNull(stores.get(), "the store supplier returned null"));
  }

  /**
   * Random sequences of in-flight work on stores {@code stores} supplies, every action of
   * {@link GateArbitraries} with the weights the property is tuned with, up to 40 actions each.
   *
   * @param stores a new, empty store on each call
   * @return the chains, for a {@code @Provide} method
   */
  public static Arbitrary<ActionChain<InFlightWork>> inFlightWork(Supplier<? extends WalletStore> stores) {
    return ActionChain.startWith(states(stores))
        .withAction(6, GateArbitraries.charge())
        .withAction(6, GateArbitraries.reserve())
        .withAction(6, GateArbitraries.capture())
        .withAction(3, GateArbitraries.release())
        .withAction(3, GateArbitraries.advance())
        .withAction(2, GateArbitraries.pastHoldTtl())
        .withAction(2, GateArbitraries.sweep())
        .withAction(1, GateArbitraries.topUp())
        .withAction(1, GateArbitraries.topUpCustom())
        .withAction(2, GateArbitraries.acrossRenewal())
        .withAction(3, GateArbitraries.justBeforeRenewal())
        .withAction(2, GateArbitraries.changePlan())
        .withAction(2, GateArbitraries.refundPack())
        .withAction(2, GateArbitraries.refundCharge())
        .withAction(1, GateArbitraries.reversePack())
        .withAction(2, GateArbitraries.grantPromotion())
        .withAction(5, GateArbitraries.setAutoTopUp())
        .withAction(8, GateArbitraries.confirmAutoTopUp())
        .withAction(8, GateArbitraries.declineAutoTopUp())
        .withAction(4, GateArbitraries.repeatKey())
        .withAction(3, GateArbitraries.conflictingKey())
        .withAction(2, GateArbitraries.retryDenied())
        .withMaxTransformations(40);
  }

  /**
   * Runs {@code chain}, checking after every step that
   * <ul>
   *   <li>the status equals the reference model ({@link InFlightWork#statusEqualsModel()}),
   *   <li>the ledger sums to the stored balances ({@link InFlightWork#ledgerSumsToStoredBalances()}),
   *   <li>held credits are never spent twice ({@link InFlightWork#heldCreditsNeverSpentTwice()}),
   *   <li>the stored wallet keeps its invariants ({@link InFlightWork#walletKeepsItsInvariants()});
   *   <li>the forecast and the advice agree with the model
   *       ({@link InFlightWork#forecastAndAdviceAgreeWithTheModel()});
   *   <li>a promotion is never spent after its expiry or outside its scope
   *       ({@link InFlightWork#promotionsNeverSpentAfterExpiryOrOutsideScope()});
   *   <li>no two auto top-up requests are ever open at once
   *       ({@link InFlightWork#noTwoOpenAutoTopUpRequests()});
   *   <li>the auto top-up's monthly limit is never exceeded
   *       ({@link InFlightWork#autoTopUpMonthlyLimitNeverExceeded()});
   *   <li>a reversal never leaves free credits ({@link InFlightWork#reversalsNeverLeaveFreeCredits()}).
   * </ul>
   *
   * @param chain the chain jqwik generated (from {@link #inFlightWork} or a chain of your own)
   * @return the final state
   * @throws AssertionError naming the step and what differed, on the first violation
   */
  public static InFlightWork run(ActionChain<InFlightWork> chain) {
    return chain
        .withInvariant("status equals the reference model", InFlightWork::statusEqualsModel)
        .withInvariant("ledger sums to the stored balances", InFlightWork::ledgerSumsToStoredBalances)
        .withInvariant("held credits are never spent twice", InFlightWork::heldCreditsNeverSpentTwice)
        .withInvariant("stored wallet keeps its invariants", InFlightWork::walletKeepsItsInvariants)
        .withInvariant("forecast and advice agree with the model", InFlightWork::forecastAndAdviceAgreeWithTheModel)
        .withInvariant("a promotion is never spent after its expiry or outside its scope",
            InFlightWork::promotionsNeverSpentAfterExpiryOrOutsideScope)
        .withInvariant("no two open auto top-up requests", InFlightWork::noTwoOpenAutoTopUpRequests)
        .withInvariant("the auto top-up's monthly limit is never exceeded",
            InFlightWork::autoTopUpMonthlyLimitNeverExceeded)
        .withInvariant("a reversal never leaves free credits", InFlightWork::reversalsNeverLeaveFreeCredits)
        .run();
  }

  /**
   * Call at the end of the property method, after {@link #run}: fails the property unless its
   * sequences reached every interesting case at least once (denials, replays, conflicts, captures
   * done and refused, releases, refunds done and refused, a sweep that expired a hold, a renewal
   * with holds open), so a property that passes proves what it claims. Reliable from about 100
   * tries; with fewer, leave it out.
   */
  public static void checkCoverage() {
    Statistics.label(STATISTICS).coverage(c -> {
      for (String reached : REACHED) {
        c.check(reached).count(n -> n > 0);
      }
    });
  }
}
