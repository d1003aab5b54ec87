package dev.creditgate.model;

import dev.creditgate.model.LedgerEntry;

import java.util.stream.Stream;

import dev.creditgate.CreditOverflowException;
import dev.creditgate.InvalidRequestException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * A metered cost is {@code base + perBlock x quantity / blockSize}, rounded once, up, to the credit
 * unit (0.001). All comparisons are made on integers scaled by {@code blockSize}, so the exact
 * (unrounded) cost never needs a fraction.
 */
class MeteredCostPropertiesTest {

  @Provide
  Arbitrary<Cost.Metered> meteredCosts() {
    Arbitrary<Long> base = Arbitraries.longs().between(0, 1_000_000).edgeCases(c -> c.includeOnly(0L, 1L));
    Arbitrary<Long> perBlock = Arbitraries.longs().between(1, 1_000_000);
    Arbitrary<Long> blockSize = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of(1L, 3L, 7L, 1000L, 1024L)),
        Tuple.of(2, Arbitraries.longs().between(1, 1_000_000)));
    return Combinators.combine(base, perBlock, blockSize).as((b, p, s) ->
        (Cost.Metered) Cost.metered(Credits.ofThousandths(b), Credits.ofThousandths(p), s));
  }

  @Provide
  Arbitrary<Long> quantities() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs().between(0, 10_000)),
        Tuple.of(3, Arbitraries.longs().between(0, 2_000_000)),
        Tuple.of(1, Arbitraries.longs().between(0, 1_000_000_000_000L)));
  }

  /** The exact cost times blockSize, in thousandths: base x blockSize + perBlock x quantity. */
  private static BigInteger exactTimesBlockSize(Cost.Metered cost, long quantity) {
    return BigInteger.valueOf(cost.base().thousandths()).multiply(BigInteger.valueOf(cost.blockSize()))
        .add(BigInteger.valueOf(cost.perBlock().thousandths()).multiply(BigInteger.valueOf(quantity)));
  }

  @Property(tries = 1000)
  void meteredCostIsRoundedUpOnce_neverBelowExactAndLessThanOneUnitAbove(
      @ForAll("meteredCosts") Cost.Metered cost, @ForAll("quantities") long quantity) {
    BigInteger blockSize = BigInteger.valueOf(cost.blockSize());
    BigInteger exact = exactTimesBlockSize(cost, quantity);
    BigInteger charged = BigInteger.valueOf(cost.of(quantity).thousandths()).multiply(blockSize);

    assertTrue(charged.compareTo(exact) >= 0, () -> "cost(q) x blockSize " + charged + " < exact " + exact);
    assertTrue(charged.subtract(blockSize).compareTo(exact) < 0,
        () -> "cost(q) - 0.001 is still >= exact: charged " + charged + ", exact " + exact);
  }

  @Property(tries = 500)
  void summedMeteredChargesNeverDriftBelowTheExactTotal_andEachIsAtMostOneUnitOver(
      @ForAll("meteredCosts") Cost.Metered cost,
      @ForAll @Size(min = 1, max = 200) List<@LongRange(min = 0, max = 500_000) Long> quantities) {
    BigInteger blockSize = BigInteger.valueOf(cost.blockSize());
    BigInteger exactTotal = BigInteger.ZERO;
    Credits charged = Credits.ZERO;
    for (long quantity : quantities) {
      exactTotal = exactTotal.add(exactTimesBlockSize(cost, quantity));
      charged = charged.plus(cost.of(quantity));
    }
    BigInteger chargedTotal = BigInteger.valueOf(charged.thousandths()).multiply(blockSize);
    BigInteger over = chargedTotal.subtract(exactTotal);

    assertTrue(over.signum() >= 0, "sum of charges drifted below the exact total by " + over.negate());
    BigInteger oneUnitPerCharge = blockSize.multiply(BigInteger.valueOf(quantities.size()));
    assertTrue(over.compareTo(oneUnitPerCharge) < 0,
        "rounded up more than one unit per charge: over by " + over + " / " + blockSize + " thousandths");
  }

  @Property(tries = 500)
  void meteredCostIsMonotonicInQuantity(
      @ForAll("meteredCosts") Cost.Metered cost, @ForAll("quantities") long a, @ForAll("quantities") long b) {
    long low = Math.min(a, b);
    long high = Math.max(a, b);
    assertTrue(cost.of(low).compareTo(cost.of(high)) <= 0);
  }

  /**
   * Any quantity up to {@code Long.MAX_VALUE}: a cost that fits in a {@code long} of thousandths is
   * the exact ceiling, however wide the intermediate product; one that does not throws
   * {@link CreditOverflowException} naming the quantity. Never a wrapped amount, never a throw for
   * a cost that fits.
   */
  @Property(tries = 500)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void meteredCostOfAHugeQuantityIsTheExactCeilingIfItFits_elseThrowsCreditOverflow_neverWraps(
      @ForAll("meteredCosts") Cost.Metered cost,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long quantity) {
    BigInteger blockSize = BigInteger.valueOf(cost.blockSize());
    BigInteger[] qr = exactTimesBlockSize(cost, quantity).divideAndRemainder(blockSize);
    BigInteger ceiling = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    boolean fits = ceiling.bitLength() <= 63;
    BigInteger product = BigInteger.valueOf(cost.perBlock().thousandths()).multiply(BigInteger.valueOf(quantity));
    Statistics.label("cost").collect(!fits ? "overflows" : product.bitLength() > 63 ? "fits, wide product" : "fits");
    Statistics.label("cost").coverage(c -> {
      c.check("overflows").percentage(p -> p >= 2);
      c.check("fits, wide product").percentage(p -> p >= 1);
    });
    if (fits) {
      assertEquals(ceiling, BigInteger.valueOf(cost.of(quantity).thousandths()), () -> cost + " x" + quantity);
    } else {
      CreditOverflowException thrown = assertThrows(CreditOverflowException.class, () -> cost.of(quantity),
          () -> cost + " x" + quantity + " costs " + ceiling + " thousandths, beyond a long");
      assertEquals(Long.toString(quantity), thrown.value());
    }
  }

  @Property(tries = 200)
  void aNegativeQuantityIsRejected(
      @ForAll("meteredCosts") Cost.Metered cost,
      @ForAll @LongRange(min = Long.MIN_VALUE, max = -1) long quantity) {
    assertThrows(InvalidRequestException.class, () -> cost.of(quantity));
  }

  /**
   * Through the gate: the default AI chat message (0.1 + 0.1 per 1,000 tokens) is debited per charge
   * rounded up once, so the ledger's debits never fall below the exact total of the messages, and
   * exceed it by less than one credit unit per message.
   */
  @Property(tries = 100)
  void gateDebitsOfMeteredChargesNeverFallBelowTheExactTotal_andExceedItByLessThanOneUnitPerCharge(
      @ForAll @Size(min = 1, max = 60) List<@LongRange(min = 0, max = 50_000) Long> tokens) {
    InMemoryWalletStore store = InMemoryWalletStore.create();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId account = AccountId.of("metered");
    Instant at = Instant.parse("2025-06-01T10:00:00Z");
    gate.openWallet(account, ZoneOffset.UTC, at);
    gate.topUp(account, "large", IdempotencyKey.of("pay"), at);
    Cost.Metered cost = (Cost.Metered) gate.costTable().costOf(Operation.AI_CHAT_MESSAGE);

    BigInteger exact = BigInteger.ZERO;
    for (int i = 0; i < tokens.size(); i++) {
      assertTrue(gate.charge(account, Operation.AI_CHAT_MESSAGE, tokens.get(i), IdempotencyKey.of("m" + i), at).isAllowed());
      exact = exact.add(exactTimesBlockSize(cost, tokens.get(i)));
    }
    long debited = 0;
    List<LedgerEntry> ledger = new ArrayList<>();
    try (Stream<LedgerEntry> read = store.readLedger(account, Instant.MIN, Instant.MAX)) {
      read.forEachOrdered(ledger::add);
    }
    for (LedgerEntry entry : ledger) {
      if (entry.kind() == LedgerEntry.Kind.DEBIT) {
        debited -= entry.amount().thousandths();
      }
    }
    BigInteger blockSize = BigInteger.valueOf(cost.blockSize());
    BigInteger over = BigInteger.valueOf(debited).multiply(blockSize).subtract(exact);
    assertTrue(over.signum() >= 0, "debits fell below the exact total by " + over.negate() + "/" + blockSize);
    assertTrue(over.compareTo(blockSize.multiply(BigInteger.valueOf(tokens.size()))) < 0,
        "debits exceed the exact total by " + over + "/" + blockSize + " thousandths");
  }
}
