package dev.creditgate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs every example as a user would and checks what it prints. */
class ExamplesTest {

  private static String run(Runnable main) {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static void assertContains(String output, String expected) {
    assertTrue(output.contains(expected), () -> "expected <" + expected + "> in:\n" + output);
  }

  @Test
  void auditedStoreCopiesEachCommittedRecordOnce() {
    String out = run(() -> AuditedStore.main(new String[0]));
    assertContains(out, "audit: msg-1 [q1;charge;15:ai-chat-message4:20001:-] -> a2;");
    assertContains(out, "1 record audited for 2 calls with one key");
  }

  @Test
  void quickStartChargesASmallTweak() {
    String out = run(() -> QuickStart.main(new String[0]));
    assertContains(out, "Charged 0.3, 29.7 left (OK)");
    assertContains(out, "How the meter got there: 0.1 base + 2 x 0.1 per 1,000 tokens = 0.3 credits");
  }

  @Test
  void warningsInCreditsOnRunningOutAndBeforeAnExpiryComeOnceFromTheCommitThatCrossed() {
    String out = run(() -> Warnings.main(new String[0]));
    assertContains(out, "2026-03-07T08:00:00Z warning: 10 credits of promo:welcome:maya expire at 2026-03-09T08:00:00Z");
    assertContains(out, "2026-03-07T08:00:00Z warning: under 5 credits, 4 available");
    assertContains(out, "a denied call warns of nothing: false\n2026-03-07T08:00:00Z warning: at or under 0%");
    assertContains(out, "2026-03-07T08:00:00Z warning: nothing left (0)");
    assertEquals(1, out.split("under 5 credits", -1).length - 1, out);
  }

  @Test
  void autoTopUpRequestsOnceAtTheThreshold_theFakeProviderApprovesThenDeclines_andItSwitchesItselfOff() {
    String out = run(() -> AutoTopUp.main(new String[0]));
    // A request's id is its number, then the epoch milliseconds it was made at.
    assertContains(out, "2026-03-02T08:01:00Z requested autotopup:maya:1:1772438460000: small, 100 credits for"
        + " $10.00\n2026-03-02T08:01:30Z charged $10.00: 104 available");
    assertContains(out, "2026-03-02T08:02:30Z declined autotopup:maya:2");
    assertContains(out, "in back-off: no request before 2026-03-03T08:02:30Z, open: false");
    assertContains(out, "2026-03-03T08:02:30Z requested autotopup:maya:3");
    assertContains(out, "2026-03-03T08:03:00Z auto top-up switched off after 2 declines (card_declined)");
    assertContains(out, "auto top-up on: false, switched off: true, requests this period: 1 ($10.00)");
    assertEquals(3, out.split(" requested autotopup:", -1).length - 1, out);
  }

  @Test
  void promotionsAreSpentInTheirOrderWithinTheirScopeAndExpireAtTheirTime() {
    String out = run(() -> Promotions.main(new String[0]));
    assertContains(out, "available 60 (subscription 30, promotions 30)");
    assertContains(out, "  promo:referral:bob:maya: 10 until 2026-04-01T08:00:00Z for [generate-image], priority 0");
    assertContains(out, "  promo:welcome:maya: 20 until 2026-03-16T08:00:00Z, priority 50");
    assertContains(out, "a 250k-token feature (25.1): denied, 13.7 available to chat, short by 11.4");
    assertContains(out, "event: 13.7 credits of promo:welcome:maya expired at 2026-03-16T08:00:00Z");
    assertContains(out, "  ledger: 2026-03-02T08:02:02Z DEBIT promo:welcome:maya -6.3");
    assertContains(out, "  ledger: 2026-03-16T08:00:00Z EXPIRY promo:welcome:maya -13.7");
    assertContains(out, "  ledger: 2026-03-16T09:00:00Z DEBIT promo:referral:bob:maya -2");
    assertContains(out, "available 8; replay consistent: true");
  }

  @Test
  void aReversedPackTakesBackWhatRemainsAndOwesWhatWasSpentUntilTheNextAllowanceRepaysIt() {
    String out = run(() -> Reversals.main(new String[0]));
    assertContains(out, "event: pack:pi_1 reversed, 80 taken back, 20 owed");
    assertContains(out, "reversed pack:pi_1: -100, balance -20, debt 20");
    assertContains(out, "repeat answers the same: true");
    assertContains(out, "refused: the pack bought with payment 'pi_1' was already reversed in maya");
    assertContains(out, "after the renewal: available 10");
    assertContains(out, "  ledger: 2026-03-07T08:00:00Z REVERSAL pack:pi_1 -80");
    assertContains(out, "  ledger: 2026-03-07T08:00:00Z REVERSAL overdraft -20");
    assertContains(out, "  ledger: 2026-04-02T08:00:00Z ADJUSTMENT subscription -20");
    assertContains(out, "replay consistent: true");
  }

  @Test
  void unusedProCreditsRollOverUpToAQuarterOfTheAllowanceUntilTheNextRenewal() {
    String out = run(() -> Rollover.main(new String[0]));
    assertContains(out, "May: subscription 150, rolled over 37.5 (rollover:2026-05-01T00:00:00Z until 2026-06-01T00:00:00Z)");
    assertContains(out, "  ledger: 2026-05-01T00:00:00Z EXPIRY subscription -50");
    assertContains(out, "  ledger: 2026-05-01T00:00:00Z GRANT rollover:2026-05-01T00:00:00Z 37.5");
    assertContains(out, "  ledger: 2026-05-01T00:01:00Z DEBIT subscription -10");
    assertContains(out, "warning: 37.5 credits of rollover:2026-05-01T00:00:00Z expire at 2026-06-01T00:00:00Z");
    assertContains(out, "June: rolled over 37.5; replay consistent: true");
  }

  @Test
  void runwayForecastSaysWhenMayaRunsOutBeforeHerRenewal() {
    String out = run(() -> RunwayForecast.main(new String[0]));
    assertContains(out, "spent 50 over 5 days: 10 a day; 100 left");
    assertContains(out, "At this rate you run out on 14 March, 5 days before your renewal (50 more credits would last"
        + " until then).");
  }

  @Test
  void whichToBuyAdvisesTheUpgradeToOneAndTheSmallPackToTheOther() {
    String out = run(() -> WhichToBuy.main(new String[0]));
    assertContains(out, "maya, 5 March: UPGRADE: Upgrade to Pro: you ran out or bought packs in 2 of your last 3 months"
        + " (last month $35.00 in packs); Pro costs $20.00 a month more and brings 120 more credits a month.");
    assertContains(out, "  from 2026-02-01T00:00:00Z: spent 30, ran out, $35.00 in packs");
    assertContains(out, "noor, 4 March: TOP_UP: Buy the Small pack ($10.00, 100 credits): at this rate you need 30 more"
        + " credits to reach your renewal.");
  }

  @Test
  void walletAndLedgerShowLotsEntriesAndAnErrorsData() {
    String out = run(() -> WalletAndLedger.main(new String[0]));
    assertContains(out, "period 2026-03-02T08:00:00Z to 2026-04-02T07:00:00Z: balance 90 (subscription 0, packs 90)");
    assertContains(out, "pack lot pack:pi_1: 90 of 100 left, bought 2026-03-02T08:00:00Z");
    assertContains(out, "ledger: GRANT 30 on subscription");
    assertContains(out, "ledger: DEBIT -30 on subscription");
    assertContains(out, "ledger: DEBIT -10 on pack:pi_1");
    assertContains(out, "key img-1 is taken; retrying it is safe: false");
  }

  @Test
  void customCostTablePricesTheHostsOperations() {
    String out = run(() -> CustomCostTable.main(new String[0]));
    assertContains(out, "generate-video costs 25, allowed: true");
    assertContains(out, "a 12.5k-token message costs 1.2");
    assertContains(out, "in code, comment is free");
  }

  @Test
  void topUpWebhookGrantsOnceForADuplicatedWebhook() {
    String out = run(() -> TopUpWebhook.main(new String[0]));
    assertContains(out, "granted 250 once; the retry returned the same top-up: true");
    assertContains(out, "custom $12.50 bought 125 credits; balance 405");
  }

  @Test
  void eventsAndRelayDeliversWhatTheSinkMissedOnceInOrder() {
    String out = run(() -> {
      try {
        EventsAndRelay.main(new String[0]);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    assertContains(out, "while the notifier was down: 0 sent");
    assertContains(out, "maya#1: maya is down to 6 credits (20%)");
    assertContains(out, "maya#2: maya is down to 0 credits (0%)");
    assertContains(out, "left in the outbox: 0");
  }

  @Test
  void handlingDenialRendersTheThreeWaysOut() {
    String out = run(() -> HandlingDenial.main(new String[0]));
    assertContains(out, "You need 2 more credits.");
    assertContains(out, "- Top up: Small pack, $10.00 for 100 credits");
    assertContains(out, "- Upgrade to Pro ($20.00/month, 150 credits)");
    assertContains(out, "- Or wait: 30 credits arrive on 2026-06-01T12:00:00Z");
    assertContains(out, "publishing at zero: allowed");
  }

  @Test
  void errorsRetriesAndHoldsChargesWhatTheOutcomePolicySays() {
    String out = run(() -> ErrorsRetriesAndHolds.main(new String[0]));
    assertContains(out, "reserved 4.1, available 25.9");
    assertContains(out, "failed at the model: metered 4.1, charged 2.05");
    assertContains(out, "retry: metered 3.1, charged 1.55, available 26.4");
    assertContains(out, "repeated capture returns the first result: true");
    assertContains(out, "ledger replays clean: true");
    assertContains(out, "CAPTURE,subscription,-1.55,ai-chat-message,gen-77-attempt-2-end");
  }

  @Test
  void teamsShowsSeatsCapsEntitlementsAndUsage() {
    String out = run(() -> Teams.main(new String[0]));
    assertContains(out, "cannot add fay: all 5 seats of the team plan are taken");
    assertContains(out, "ben's next 2 images: MEMBER_CAP_REACHED; the team still has 292");
    assertContains(out, "priority support: true");
    assertContains(out, "ana spent 10.1 {ai-chat-message=10.1}");
    assertContains(out, "ben spent 8 {generate-image=8} (cap 10)");
    assertContains(out, "downgrade to pro at 2026-07-01T09:00:00Z; must go first: [eli, dev, chloe, ben]");
  }

  @Test
  void demoTellsTheArticlesStory() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Demo(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    String out = bytes.toString(StandardCharsets.UTF_8);
    // a welcome promotion expiring: told before, then told it went
    assertContains(out, "! warning: 10 credits of her welcome bonus expire on 6 March 2026");
    assertContains(out, "! 10 unused credits of her welcome bonus expired");
    assertTrue(out.indexOf("expire on 6 March") < out.indexOf("unused credits of her welcome bonus expired"), out);
    // the forecast before running out
    assertContains(out, "forecast: At this rate you run out on 6 March, 27 days before your renewal");
    assertTrue(out.indexOf("forecast: At this rate") < out.indexOf("DENIED"), out);
    assertContains(out, "! warning: the balance (2.7) is at or under 20% of 40");
    assertContains(out, "! warning: the balance (0) is at or under 0% of 40");
    assertContains(out, "DENIED: it costs 2.1, she has 0 (short by 2.1)");
    assertContains(out, "1. Top up: the Small pack, $10.00 for 100 credits");
    assertContains(out, "2. Upgrade: Pro at $20.00/month with 150 credits a month");
    assertContains(out, "3. Wait: 30 credits arrive on 2 April 2026");
    assertContains(out, "Recommended: Buy the Medium pack ($25.00, 250 credits): at this rate you need 194.688 more"
        + " credits to reach your renewal.");
    assertContains(out, "publish-update   allowed (cost 0)");
    assertContains(out, "granted once");
    assertContains(out, "(free: subscription 30 + packs 91.9)");
    // the advice after two months of running out, with the break-even numbers
    assertContains(out, "12 features allowed, then the 13th one is denied");
    assertContains(out, "advice: Upgrade to Pro: you ran out or bought packs in 2 of your last 2 months (last month"
        + " $10.00 in packs); Pro costs $20.00 a month more and brings 120 more credits a month.");
    assertContains(out, "Option 2: she upgrades from free to pro; effective immediately");
  }
}
