package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateSteps.Books;
import dev.creditgate.GateSteps.Step;
import dev.creditgate.model.Credits;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Credits are neither created nor lost: over random walks of charges, top-ups (pack and custom),
 * renewals after time jumps and plan changes, through the gate and the in-memory store.
 *
 * <p>The test keeps its own books from what the gate answered and the events it published (never
 * from the ledger): granted (the opening allowance, top-ups, upgrade allowances, renewals), spent
 * (allowed charges) and expired. After every step the stored wallet, the ledger and those books
 * must agree.
 */
class CreditConservationPropertiesTest {

  @Provide
  Arbitrary<GateFixture.Config> configs() {
    return GateSteps.configs();
  }

  @Provide
  Arbitrary<ZoneId> zones() {
    return GateSteps.zones();
  }

  @Provide
  Arbitrary<Instant> starts() {
    return GateSteps.starts();
  }

  @Provide
  Arbitrary<List<Step>> walks() {
    return GateSteps.walks(40, 1_000_000);
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void creditsAreConserved_grantedEqualsSpentPlusExpiredPlusRemaining(
      @ForAll("configs") GateFixture.Config config, @ForAll("zones") ZoneId zone,
      @ForAll("starts") Instant start, @ForAll("walks") List<Step> walk) {
    GateFixture f = GateFixture.open(config, zone, start);
    Books books = new Books();
    books.granted = f.catalog().startingPlan().monthlyCredits().thousandths();
    assertConserved(f, books, () -> "after opening");

    boolean overdrawn = false;
    for (int i = 0; i < walk.size(); i++) {
      Step step = walk.get(i);
      GateSteps.apply(f, books, step);
      books.readEvents(f);
      int index = i;
      assertConserved(f, books, () -> "after step " + index + " " + step);
      overdrawn |= f.wallet().debt().isPositive();
    }

    // The walks must reach the interesting states, or the property proves little.
    boolean renewed = f.events.stream().anyMatch(e -> e instanceof WalletEvent.SubscriptionRenewed);
    boolean upgraded = f.events.stream().anyMatch(e -> e instanceof WalletEvent.PlanChanged c && c.at().equals(c.effectiveAt()));
    Statistics.label("renewed").collect(renewed);
    Statistics.label("upgraded").collect(upgraded);
    Statistics.label("overdrawn").collect(overdrawn);
    Statistics.label("denied").collect(books.denied > 0);
    Statistics.label("renewed").coverage(c -> c.check(true).percentage(p -> p >= 25));
    Statistics.label("upgraded").coverage(c -> c.check(true).percentage(p -> p >= 15));
    Statistics.label("overdrawn").coverage(c -> c.check(true).percentage(p -> p >= 5));
    Statistics.label("denied").coverage(c -> c.check(true).percentage(p -> p >= 15));
  }

  /**
   * With a store that keeps only a few ledger entries and folds the older ones into carried-forward
   * adjustments, the ledger still sums to the balance, overall and grant by grant.
   */
  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void aBoundedLedgerStillSumsToTheBalance_overallAndPerGrant(
      @ForAll("configs") GateFixture.Config config, @ForAll("zones") ZoneId zone,
      @ForAll("starts") Instant start, @ForAll("walks") List<Step> walk,
      @ForAll @IntRange(min = 10, max = 30) int ledgerLimit) {
    InMemoryWalletStore store = InMemoryWalletStore.builder().ledgerEntriesPerAccount(ledgerLimit).build();
    GateFixture f = GateFixture.open(config, store, zone, start);
    Books books = new Books();
    for (int i = 0; i < walk.size(); i++) {
      Step step = walk.get(i);
      GateSteps.apply(f, books, step);
      Wallet wallet = f.wallet();
      List<LedgerEntry> ledger = f.ledger();
      int index = i;
      Supplier<String> where = () -> "after step " + index + " " + step + ", wallet " + wallet;
      assertTrue(wallet.invariantViolations().isEmpty(), () -> where.get() + ": " + wallet.invariantViolations());
      // "about limit": the limit, plus one commit's entries and one carried-forward entry per grant
      assertTrue(ledger.size() <= ledgerLimit + 64, () -> where.get() + ": ledger of " + ledger.size() + " entries");
      assertLedgerSumsToWallet(wallet, ledger, where);
    }
  }

  private static void assertConserved(GateFixture f, Books books, Supplier<String> where) {
    Wallet wallet = f.wallet();
    List<LedgerEntry> ledger = f.ledger();
    Supplier<String> context = () -> where.get() + " (" + books + ", wallet " + wallet + ")";

    assertTrue(wallet.invariantViolations().isEmpty(), () -> context.get() + ": " + wallet.invariantViolations());
    assertEquals(books.granted - books.spent - books.expired, wallet.balance().thousandths(),
        () -> "granted = spent + expired + remaining " + context.get());

    long grants = 0;
    long debits = 0;
    long expiries = 0;
    long adjustments = 0;
    for (LedgerEntry entry : ledger) {
      assertEquals(GateFixture.ACCOUNT, entry.account());
      long amount = entry.amount().thousandths();
      switch (entry.kind()) {
        case GRANT -> {
          assertTrue(amount > 0, () -> "a grant adds credits: " + entry);
          grants += amount;
        }
        case DEBIT, CAPTURE -> {
          assertTrue(amount < 0, () -> "a debit takes credits: " + entry);
          debits -= amount;
        }
        case EXPIRY -> {
          assertTrue(amount < 0, () -> "an expiry takes credits: " + entry);
          assertEquals(LedgerEntry.SUBSCRIPTION, entry.grant(), () -> "only subscription credits expire: " + entry);
          expiries -= amount;
        }
        case ADJUSTMENT -> adjustments += amount;
        default -> throw new AssertionError("the gate wrote an unexpected " + entry + " " + context.get());
      }
    }
    assertEquals(books.granted, grants, () -> "ledger grants " + context.get());
    assertEquals(books.spent, debits, () -> "ledger debits " + context.get());
    assertEquals(books.expired, expiries, () -> "ledger expiries " + context.get());
    assertEquals(0, adjustments, () -> "debt repayments are pairs summing to zero " + context.get());
    assertLedgerSumsToWallet(wallet, ledger, context);
  }

  /** The balance entries sum to the balance, and per grant to what remains of it. */
  static void assertLedgerSumsToWallet(Wallet wallet, List<LedgerEntry> ledger, Supplier<String> context) {
    Map<String, Long> perGrant = new TreeMap<>();
    long balance = 0;
    long held = 0;
    for (LedgerEntry entry : ledger) {
      if (entry.kind().affectsBalance()) {
        balance += entry.amount().thousandths();
        perGrant.merge(entry.grant(), entry.amount().thousandths(), Long::sum);
      } else {
        held += entry.amount().thousandths();
      }
    }
    assertEquals(wallet.balance().thousandths(), balance, () -> "ledger sums to the balance " + context.get());
    assertEquals(wallet.held().thousandths(), held, () -> "hold entries sum to the held credits " + context.get());

    Map<String, Long> remaining = new TreeMap<>();
    remaining.put(LedgerEntry.SUBSCRIPTION, wallet.subscription().thousandths());
    remaining.put(LedgerEntry.OVERDRAFT, wallet.debt().negate().thousandths());
    for (PackGrant grant : wallet.packs()) {
      remaining.put(grant.id(), grant.remaining().thousandths());
    }
    TreeSet<String> names = new TreeSet<>(perGrant.keySet());
    names.addAll(remaining.keySet());
    for (String name : names) {
      assertEquals(remaining.getOrDefault(name, 0L), perGrant.getOrDefault(name, 0L),
          () -> "ledger entries of grant '" + name + "' sum to what remains of it " + context.get());
      if (!name.equals(LedgerEntry.SUBSCRIPTION) && !name.equals(LedgerEntry.OVERDRAFT)) {
        assertTrue(name.startsWith("pack:"), "grant names are subscription, overdraft or pack:<id>: " + name);
      }
    }
  }
}
