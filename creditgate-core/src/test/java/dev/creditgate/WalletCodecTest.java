package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.Hold;
import dev.creditgate.Member;
import dev.creditgate.model.Operation;
import dev.creditgate.PackGrant;
import dev.creditgate.RenewalSchedule;
import dev.creditgate.Wallet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import dev.creditgate.model.Money;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class WalletCodecTest {

  @Property(tries = 500)
  void everyWalletReadsBackEqual(@ForAll("wallets") Wallet wallet) {
    assertEquals(wallet, WalletCodec.decode(WalletCodec.encode(wallet)));
  }

  @Property(tries = 2000)
  void aNumbersLengthIsItsTextsLength(@ForAll long value) {
    assertEquals(Long.toString(value).length(), WalletCodec.decimalLength(value));
  }

  @Example
  void theLongestNumbersLengthsAreTheirTexts() {
    for (long value : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 9, 10, -10, 99, 100}) {
      assertEquals(Long.toString(value).length(), WalletCodec.decimalLength(value), Long.toString(value));
    }
  }

  @Property(tries = 200)
  void aTruncatedOrExtendedEncodingIsRejected(@ForAll("wallets") Wallet wallet) {
    String text = WalletCodec.encode(wallet);
    assertThrows(IllegalArgumentException.class, () -> WalletCodec.decode(text.substring(0, text.length() - 1)));
    assertThrows(IllegalArgumentException.class, () -> WalletCodec.decode(text + "1:x"));
  }

  @Example
  void garbageAndUnknownFormatsAreRejected() {
    for (String bad : List.of("", "hello", "2:w9", "2:w15:alice", "2:w1-3:abc", "2:w199:x")) {
      assertThrows(IllegalArgumentException.class, () -> WalletCodec.decode(bad), bad);
    }
  }

  @Provide
  Arbitrary<Wallet> wallets() {
    Arbitrary<RenewalSchedule> schedules = Combinators.combine(localTimes(), zones()).as(RenewalSchedule::new);
    Arbitrary<Header> headers = Combinators.combine(text(200).map(AccountId::of), text(40), text(40), schedules,
        Arbitraries.longs().between(0, Integer.MAX_VALUE), credits(0))
        .as(Header::new);
    Arbitrary<List<PackGrant>> packs = Combinators.combine(text(60), text(30), credits(1), credits(1), instants())
        .as((id, pack, a, b, at) -> new PackGrant(id, pack, a.max(b), a.min(b), at))
        .list().ofMaxSize(4)
        // A wallet's pack credits must fit in a long: the constructor refuses a total that overflows.
        .filter(grants -> totalFits(grants, g -> g.remaining().thousandths()));
    Arbitrary<Optional<AccountId>> someone = text(200).map(AccountId::of).optional();
    Arbitrary<List<Hold>> holds = Combinators.combine(text(200), operations(), credits(1), instants(), instants(),
            someone)
        .as(Hold::new)
        .list().ofMaxSize(3)
        // What the holds reserve must fit in a long too.
        .filter(list -> totalFits(list, h -> h.amount().thousandths()));
    Arbitrary<List<Member>> members = Combinators.combine(text(200).map(AccountId::of), instants(),
            credits(0).optional(), credits(0), creditsMap())
        .as(Member::new)
        .list().uniqueElements(Member::id).ofMaxSize(3);
    Arbitrary<Tail> tails = Combinators.combine(credits(0), credits(0), Arbitraries.integers(), creditsMap(), members,
            Arbitraries.longs().between(0, Long.MAX_VALUE))
        .as(Tail::new);
    return Combinators.combine(headers, packs, holds, tails, usages())
        .as((h, p, hl, t, u) -> new Wallet(h.account, h.plan, h.renewalPlan, h.schedule, h.period, h.subscription, p,
            hl, t.debt, t.reference, t.warnings, t.refunded, t.members, t.eventsRecorded, u));
  }

  /** Any usage history: none, or one with days, a period in force and up to six completed ones. */
  static Arbitrary<UsageHistory> usages() {
    Arbitrary<Optional<Money>> paid = Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE),
        Arbitraries.of("USD", "EUR", "JPY")).as((minor, code) -> new Money(minor, Currency.getInstance(code)))
        .optional();
    Arbitrary<PeriodSummary> periods = Combinators.combine(instants(), instants(), credits(0), credits(0), paid,
        instants().optional()).as(PeriodSummary::new);
    Arbitrary<UsageHistory> some = Combinators.combine(instants().injectNull(0.1), Arbitraries.longs().between(-1_000_000, 3_000_000),
            Arbitraries.longs().between(0, Long.MAX_VALUE),
            Arbitraries.longs().between(0, Long.MAX_VALUE).array(long[].class).ofMaxSize(UsageHistory.DAYS_KEPT - 1),
            credits(0), credits(0), paid, instants().optional())
        .as((since, day, today, earlier, spent, packs, packsPaid, ranOut) -> since == null
            ? new UsageHistory(null, day, 0, new long[0], spent.thousandths(), packs.thousandths(),
                packsPaid.orElse(null), ranOut.orElse(null), List.of())
            : new UsageHistory(since, day, today, earlier, spent.thousandths(), packs.thousandths(),
                packsPaid.orElse(null), ranOut.orElse(null), List.of()))
        .flatMap(u -> periods.list().ofMaxSize(UsageHistory.PERIODS_KEPT).map(list -> new UsageHistory(
            u.since().orElse(null), u.day(), u.today(), u.earlier(), u.periodSpent().thousandths(),
            u.periodPackCredits().thousandths(), u.periodPacksPaid().orElse(null), u.periodRanOutAt().orElse(null),
            list)));
    return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(UsageHistory.EMPTY)), Tuple.of(3, some));
  }

  private static <T> boolean totalFits(List<T> items, java.util.function.ToLongFunction<T> thousandths) {
    long total = 0;
    for (T item : items) {
      long next = total + thousandths.applyAsLong(item);
      if (next < total) {
        return false;
      }
      total = next;
    }
    return true;
  }

  private record Tail(Credits debt, Credits reference, int warnings, Map<String, Credits> refunded,
      List<Member> members, long eventsRecorded) {}

  private static Arbitrary<Map<String, Credits>> creditsMap() {
    return Arbitraries.maps(text(30), credits(0)).ofMaxSize(4);
  }

  private record Header(AccountId account, String plan, String renewalPlan, RenewalSchedule schedule, long period,
      Credits subscription) {}

  /**
   * Any non-blank text ids may hold (all but U+0000 and lone surrogates), with separators, digits, colons and
   * characters beyond the BMP.
   */
  private static Arbitrary<String> text(int max) {
    return Arbitraries.oneOf(
            Arbitraries.strings().all().ofMinLength(1).ofMaxLength(max),
            Arbitraries.strings().withChars("0123456789:;,\n\"' ").ofMinLength(1).ofMaxLength(max),
            Arbitraries.of("pack:1", "12:34", "ä✓😀", "subscription"))
        .filter(s -> !s.isBlank()
            && s.codePoints().noneMatch(c -> c == 0 || c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE));
  }

  private static Arbitrary<Operation> operations() {
    return text(100).filter(s -> !s.contains(",") && !s.contains("\n") && !s.contains("\r") && !s.contains("\""))
        .map(Operation::of);
  }

  private static Arbitrary<Credits> credits(long min) {
    return Arbitraries.oneOf(Arbitraries.longs().between(min, 1_000_000), Arbitraries.longs().between(min, Long.MAX_VALUE))
        .map(Credits::ofThousandths);
  }

  private static Arbitrary<Instant> instants() {
    return Combinators.combine(Arbitraries.longs().between(-62_000_000_000L, 250_000_000_000L),
        Arbitraries.integers().between(0, 999_999_999)).as(Instant::ofEpochSecond);
  }

  private static Arbitrary<LocalDateTime> localTimes() {
    return Combinators.combine(Arbitraries.longs().between(-62_000_000_000L, 250_000_000_000L),
        Arbitraries.integers().between(0, 999_999_999)).as((s, n) -> LocalDateTime.ofEpochSecond(s, n, ZoneOffset.UTC));
  }

  private static Arbitrary<ZoneId> zones() {
    return Arbitraries.oneOf(
        Arbitraries.of(ZoneId.getAvailableZoneIds()).map(ZoneId::of),
        Arbitraries.integers().between(-18 * 3600, 18 * 3600).map(ZoneOffset::ofTotalSeconds));
  }
}
