package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.AutoTopUp;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Money;
import dev.creditgate.Hold;
import dev.creditgate.Member;
import dev.creditgate.model.Operation;
import dev.creditgate.PackGrant;
import dev.creditgate.RenewalSchedule;
import dev.creditgate.Wallet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The text a {@link Wallet} is stored as: a format tag, then every field, each length-prefixed
 * ({@code 5:hello}) so that ids may hold any character. Instants and local times use their ISO
 * forms, which read back exactly (to the nanosecond); credits are thousandths. Stateless.
 *
 * <p>A later release that adds a field writes a new tag and keeps reading the earlier ones:
 * {@code w2} (0.2) is {@code w1} (0.1) and then the count of events the wallet recorded; a
 * {@code w1} wallet reads as one that recorded none. {@code w3} (0.3) is {@code w2} and then the
 * wallet's usage history ({@link UsageHistory}): {@code 0} for none, or {@code 1} and its fields;
 * a {@code w1} or {@code w2} wallet reads as one with no usage recorded. {@code w4} (0.4) is
 * {@code w3} and then the promotional grants: their count (at most {@link Wallet#MAX_PROMOTIONS})
 * and each one's fields; a wallet of an earlier format reads as one with none. {@code w5} (0.5)
 * is {@code w4} and then its own sections, each self-contained (a later section never reads an
 * earlier one), in this fixed order: <em>auto top-up</em> ({@link AutoTopUpState}: {@code 0} for
 * a wallet that never set a rule, or {@code 1} and its fields), then <em>returns</em>
 * ({@link #putReturns}: the pack refunds and the reversed packs), then <em>team</em>
 * ({@link #putFormerMembers}: the members who left this period); a wallet of an earlier format
 * reads as one that never set an auto top-up rule and has none of the others.
 */
final class WalletCodec {
  static final String FORMAT = "w5";
  private static final String FORMAT_0_4 = "w4";
  private static final String FORMAT_0_3 = "w3";
  private static final String FORMAT_0_2 = "w2";
  private static final String FORMAT_0_1 = "w1";

  private WalletCodec() {}

  static String encode(Wallet w) {
    Writer out = new Writer();
    out.put(FORMAT);
    out.put(w.account().value());
    out.put(w.planId());
    out.put(w.renewalPlanId());
    out.put(w.schedule().anchor().toString());
    out.put(w.schedule().zone().getId());
    out.put(w.period());
    out.put(w.subscription().thousandths());
    out.put(w.packs().size());
    for (PackGrant p : w.packs()) {
      out.put(p.id());
      out.put(p.packId());
      out.put(p.granted().thousandths());
      out.put(p.remaining().thousandths());
      out.put(p.purchasedAt().toString());
    }
    out.put(w.holds().size());
    for (Hold h : w.holds()) {
      out.put(h.id());
      out.put(h.operation().id());
      out.put(h.amount().thousandths());
      out.put(h.createdAt().toString());
      out.put(h.expiresAt().toString());
      out.put(h.member().map(AccountId::value));
    }
    out.put(w.debt().thousandths());
    out.put(w.reference().thousandths());
    out.put(w.warningsRaised());
    out.put(w.refunded().charges());
    out.put(w.members().size());
    for (Member m : w.members()) {
      putMember(out, m);
    }
    out.put(w.eventsRecorded());
    putUsage(out, w.usage());
    putPromotions(out, w.promotions());
    // w5: each section below is self-contained (a later section never reads an earlier one).
    putAutoTopUp(out, w.autoTopUp());
    putReturns(out, w.refunded());
    putFormerMembers(out, w.team().former());
    return out.text.toString();
  }

  /**
   * The returns section of {@code w5}: the credits refunded per pack grant (a map: its count, then
   * each grant's ledger name and thousandths, sorted by name), then the reversed pack grants (a
   * map of the same shape: each one's ledger name and what its reversal took back in all). The
   * refunds per charge stay where {@code w1} put them.
   */
  private static void putReturns(Writer out, Returns returns) {
    out.put(returns.packs());
    out.put(returns.reversed());
  }

  /**
   * The team section of {@code w5}: the former members of this period (see {@link Team}), the
   * earliest to leave first: their count (at most {@link Team#MAX_FORMER}), then each one's fields
   * as {@code w1} writes a member's (id, when they joined, the optional cap, what they spent, and
   * per operation).
   */
  private static void putFormerMembers(Writer out, List<Member> former) {
    out.put(former.size());
    for (Member m : former) {
      putMember(out, m);
    }
  }

  private static void putMember(Writer out, Member m) {
    out.put(m.id().value());
    out.put(m.joinedAt().toString());
    out.put(m.cap().map(c -> Long.toString(c.thousandths())));
    out.put(m.spent().thousandths());
    out.put(m.spentByOperation());
  }

  private static Member nextMember(Reader in) {
    return new Member(AccountId.of(in.next()), Instant.parse(in.next()),
        in.nextOptional().map(c -> Credits.ofThousandths(Long.parseLong(c))), in.nextCredits(), in.nextCreditsMap());
  }

  private static List<Member> nextFormerMembers(Reader in) {
    int count = in.nextCount();
    if (count > Team.MAX_FORMER) {
      throw new IllegalArgumentException("malformed wallet: " + count + " former members");
    }
    List<Member> former = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      former.add(nextMember(in));
    }
    return former;
  }

  private static Returns nextReturns(Reader in, Map<String, Credits> charges) {
    Map<String, Credits> packs = in.nextCreditsMap();
    Map<String, Credits> reversed = in.nextCreditsMap();
    for (Credits c : packs.values()) {
      if (!c.isPositive()) {
        throw new IllegalArgumentException("malformed wallet: a pack refund of " + c);
      }
    }
    for (Credits c : reversed.values()) {
      if (c.isNegative()) {
        throw new IllegalArgumentException("malformed wallet: a reversal of " + c);
      }
    }
    return charges.isEmpty() && packs.isEmpty() && reversed.isEmpty() ? Returns.NONE
        : new Returns(charges, packs, reversed);
  }

  /**
   * The count, then each grant in the spend order: its id, reason, credits granted and remaining
   * (thousandths), when it was granted and when it expires, its priority, its scope (a count and
   * the operation ids, sorted; 0 for every operation), and whether its expiry warning was published
   * (1 or 0).
   */
  private static void putPromotions(Writer out, List<PromotionGrant> promotions) {
    out.put(promotions.size());
    for (PromotionGrant p : promotions) {
      out.put(p.id());
      out.put(p.reason());
      out.put(p.granted().thousandths());
      out.put(p.remaining().thousandths());
      out.put(p.grantedAt().toString());
      out.put(p.expiresAt().toString());
      out.put(p.priority());
      out.put(p.scope().size());
      for (String operation : p.scope()) {
        out.put(operation);
      }
      out.put(p.expiryWarned() ? 1 : 0);
    }
  }

  private static List<PromotionGrant> nextPromotions(Reader in) {
    int count = in.nextCount();
    if (count > Wallet.MAX_PROMOTIONS) {
      throw new IllegalArgumentException("malformed wallet: " + count + " promotions");
    }
    if (count == 0) {
      return List.of();
    }
    List<PromotionGrant> promotions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String id = in.next();
      String reason = in.next();
      Credits granted = in.nextCredits();
      Credits remaining = in.nextCredits();
      Instant grantedAt = Instant.parse(in.next());
      Instant expiresAt = Instant.parse(in.next());
      int priority = Math.toIntExact(in.nextLong());
      int operations = in.nextCount();
      List<String> scope = new ArrayList<>(operations);
      for (int j = 0; j < operations; j++) {
        scope.add(Operation.of(in.next()).id());
      }
      long warned = in.nextLong();
      if (warned != 0 && warned != 1) {
        throw new IllegalArgumentException("malformed wallet: expiry warned " + warned);
      }
      promotions.add(new PromotionGrant(id, reason, granted, remaining, grantedAt, expiresAt, priority, scope,
          warned == 1));
    }
    for (int i = 1; i < count; i++) {
      if (PromotionGrant.SPEND_ORDER.compare(promotions.get(i - 1), promotions.get(i)) >= 0) {
        throw new IllegalArgumentException("malformed wallet: promotions out of their spend order");
      }
    }
    return promotions;
  }

  /**
   * {@code 0}, or {@code 1} then: the rule (threshold in thousandths, pack id optional, target
   * balance optional, limit in minor units and its currency's code, count, decline limit, back-off
   * as an ISO duration), whether it is on (1 or 0), the counted period's start, its requests and
   * what they cost (minor units, in the limit's currency), the requests ever made, the open request
   * ({@code 0}, or {@code 1} then id, pack, credits, price in minor units and currency, time, and
   * whether it counts in this period's counters, 1 or 0), the
   * declines in a row, the back-off's end (optional), the latest refusal ({@code 0}, or {@code 1}
   * then time, limit, price in minor units and currency), whether it was refused this crossing,
   * the latest decline ({@code 0}, or {@code 1} then time, request id, reason), whether it switched
   * itself off.
   */
  private static void putAutoTopUp(Writer out, AutoTopUpState a) {
    if (a == null) {
      out.put(0);
      return;
    }
    out.put(1);
    AutoTopUp r = a.rule();
    out.put(r.threshold().thousandths());
    out.put(r.pack());
    out.put(r.targetBalance().map(c -> Long.toString(c.thousandths())));
    putMoney(out, r.monthlyLimit());
    out.put(r.monthlyCount());
    out.put(r.declineLimit());
    out.put(r.backoff().toString());
    out.put(a.on() ? 1 : 0);
    out.put(a.periodStart().toString());
    out.put(a.requests());
    out.put(a.requested().minorUnits());
    out.put(a.made());
    AutoTopUpStatus.OpenRequest o = a.open();
    out.put(o == null ? 0 : 1);
    if (o != null) {
      out.put(o.id());
      out.put(o.pack());
      out.put(o.credits().thousandths());
      putMoney(out, o.price());
      out.put(o.requestedAt().toString());
      out.put(a.openCounted() ? 1 : 0);
    }
    out.put(a.declines());
    out.put(Optional.ofNullable(a.retryNotBefore()).map(Instant::toString));
    AutoTopUpStatus.Refusal f = a.refusal();
    out.put(f == null ? 0 : 1);
    if (f != null) {
      out.put(f.at().toString());
      out.put(f.limit().name());
      putMoney(out, f.price());
    }
    out.put(a.refusedThisCrossing() ? 1 : 0);
    AutoTopUpStatus.Decline d = a.decline();
    out.put(d == null ? 0 : 1);
    if (d != null) {
      out.put(d.at().toString());
      out.put(d.request());
      out.put(d.reason());
    }
    out.put(a.switchedOff() ? 1 : 0);
  }

  private static void putMoney(Writer out, Money m) {
    out.put(m.minorUnits());
    out.put(m.currency().getCurrencyCode());
  }

  private static AutoTopUpState nextAutoTopUp(Reader in) {
    if (!nextFlag(in, "auto top-up marker")) {
      return null;
    }
    Credits threshold = in.nextCredits();
    Optional<String> pack = in.nextOptional();
    Optional<Credits> target = in.nextOptional().map(c -> Credits.ofThousandths(Long.parseLong(c)));
    Money limit = nextMoneyValue(in);
    AutoTopUp rule = new AutoTopUp(threshold, pack, target, limit, Math.toIntExact(in.nextLong()),
        Math.toIntExact(in.nextLong()), java.time.Duration.parse(in.next()));
    boolean on = nextFlag(in, "auto top-up on");
    Instant periodStart = Instant.parse(in.next());
    int requests = Math.toIntExact(in.nextLong());
    Money requested = new Money(in.nextLong(), limit.currency());
    long made = in.nextLong();
    AutoTopUpStatus.OpenRequest open = nextFlag(in, "open request marker")
        ? new AutoTopUpStatus.OpenRequest(in.next(), in.next(), in.nextCredits(), nextMoneyValue(in),
            Instant.parse(in.next())) : null;
    boolean openCounted = open != null && nextFlag(in, "open request counted");
    int declines = Math.toIntExact(in.nextLong());
    Instant notBefore = in.nextOptional().map(Instant::parse).orElse(null);
    AutoTopUpStatus.Refusal refusal = nextFlag(in, "refusal marker") ? new AutoTopUpStatus.Refusal(
        Instant.parse(in.next()), AutoTopUp.Limit.valueOf(in.next()), nextMoneyValue(in)) : null;
    boolean refused = nextFlag(in, "refused this crossing");
    AutoTopUpStatus.Decline decline = nextFlag(in, "decline marker")
        ? new AutoTopUpStatus.Decline(Instant.parse(in.next()), in.next(), in.next()) : null;
    boolean switchedOff = nextFlag(in, "switched off");
    return new AutoTopUpState(rule, on, periodStart, requests, requested, made, open, openCounted, declines, notBefore,
        refusal, refused, decline, switchedOff);
  }

  private static boolean nextFlag(Reader in, String what) {
    long flag = in.nextLong();
    if (flag != 0 && flag != 1) {
      throw new IllegalArgumentException("malformed wallet: " + what + " " + flag);
    }
    return flag == 1;
  }

  private static Money nextMoneyValue(Reader in) {
    return new Money(in.nextLong(), Currency.getInstance(in.next()));
  }

  /**
   * {@code 0}, or {@code 1} then: the first spend, the latest day (UTC epoch day) and what was
   * spent on it, the count of earlier days and each one's spend (the day before first), the period
   * in force (spent, pack credits, packs paid, ran out at), and the count of completed periods and
   * each one (start, end, spent, pack credits, packs paid, ran out at), the latest first. Credits
   * in thousandths; packs paid as an optional of minor units and then the currency's code.
   */
  private static void putUsage(Writer out, UsageHistory u) {
    if (u.isEmpty()) {
      out.put(0);
      return;
    }
    out.put(1);
    out.put(u.since().map(Instant::toString));
    out.put(u.day());
    out.put(u.today());
    long[] earlier = u.earlier();
    out.put(earlier.length);
    for (long spent : earlier) {
      out.put(spent);
    }
    putPeriod(out, u.periodSpent(), u.periodPackCredits(), u.periodPacksPaid(), u.periodRanOutAt());
    out.put(u.periods().size());
    for (PeriodSummary p : u.periods()) {
      out.put(p.start().toString());
      out.put(p.end().toString());
      putPeriod(out, p.spent(), p.packCredits(), p.packsPaid(), p.ranOutAt());
    }
  }

  private static void putPeriod(Writer out, Credits spent, Credits packCredits, Optional<Money> paid,
      Optional<Instant> ranOutAt) {
    out.put(spent.thousandths());
    out.put(packCredits.thousandths());
    out.put(paid.map(m -> Long.toString(m.minorUnits())));
    paid.ifPresent(m -> out.put(m.currency().getCurrencyCode()));
    out.put(ranOutAt.map(Instant::toString));
  }

  private static UsageHistory nextUsage(Reader in) {
    long present = in.nextLong();
    if (present == 0) {
      return UsageHistory.EMPTY;
    }
    if (present != 1) {
      throw new IllegalArgumentException("malformed wallet: usage marker " + present);
    }
    Instant since = in.nextOptional().map(Instant::parse).orElse(null);
    long day = in.nextLong();
    long today = in.nextLong();
    int days = in.nextCount();
    if (days > UsageHistory.DAYS_KEPT - 1) {
      throw new IllegalArgumentException("malformed wallet: " + days + " earlier days");
    }
    long[] earlier = new long[days];
    for (int i = 0; i < days; i++) {
      earlier[i] = in.nextLong();
    }
    long spent = in.nextLong();
    long packCredits = in.nextLong();
    Money paid = nextMoney(in).orElse(null);
    Instant ranOutAt = in.nextOptional().map(Instant::parse).orElse(null);
    int count = in.nextCount();
    if (count > UsageHistory.PERIODS_KEPT) {
      throw new IllegalArgumentException("malformed wallet: " + count + " periods");
    }
    List<PeriodSummary> periods = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Instant start = Instant.parse(in.next());
      Instant end = Instant.parse(in.next());
      periods.add(new PeriodSummary(start, end, in.nextCredits(), in.nextCredits(), nextMoney(in),
          in.nextOptional().map(Instant::parse)));
    }
    return new UsageHistory(since, day, today, earlier, spent, packCredits, paid, ranOutAt, periods);
  }

  private static Optional<Money> nextMoney(Reader in) {
    Optional<String> minor = in.nextOptional();
    return minor.isPresent() ? Optional.of(new Money(Long.parseLong(minor.get()), Currency.getInstance(in.next())))
        : Optional.empty();
  }

  /**
   * @throws IllegalArgumentException if the text is not a wallet in a known format
   */
  static Wallet decode(String text) {
    Reader in = new Reader(text);
    String format = in.next();
    boolean v1 = FORMAT_0_1.equals(format);
    boolean v2 = FORMAT_0_2.equals(format);
    boolean v3 = FORMAT_0_3.equals(format);
    boolean v4 = FORMAT_0_4.equals(format);
    if (!v1 && !v2 && !v3 && !v4 && !FORMAT.equals(format)) {
      throw new IllegalArgumentException("unknown wallet format '" + format + "'");
    }
    try {
      AccountId account = AccountId.of(in.next());
      String planId = in.next();
      String renewalPlanId = in.next();
      RenewalSchedule schedule = new RenewalSchedule(LocalDateTime.parse(in.next()), ZoneId.of(in.next()));
      int period = Wallet.periodIndex(in.nextLong());
      Credits subscription = in.nextCredits();
      int packCount = in.nextCount();
      List<PackGrant> packs = new ArrayList<>(packCount);
      for (int i = 0; i < packCount; i++) {
        packs.add(new PackGrant(in.next(), in.next(), in.nextCredits(), in.nextCredits(),
            Instant.parse(in.next())));
      }
      int holdCount = in.nextCount();
      List<Hold> holds = new ArrayList<>(holdCount);
      for (int i = 0; i < holdCount; i++) {
        holds.add(new Hold(in.next(), Operation.of(in.next()), in.nextCredits(), Instant.parse(in.next()),
            Instant.parse(in.next()), in.nextOptional().map(AccountId::of)));
      }
      Credits debt = in.nextCredits();
      Credits reference = in.nextCredits();
      int warnings = Math.toIntExact(in.nextLong());
      Map<String, Credits> refunded = in.nextCreditsMap();
      int memberCount = in.nextCount();
      List<Member> members = new ArrayList<>(memberCount);
      for (int i = 0; i < memberCount; i++) {
        members.add(nextMember(in));
      }
      long eventsRecorded = v1 ? 0 : in.nextLong();
      UsageHistory usage = v1 || v2 ? UsageHistory.EMPTY : nextUsage(in);
      List<PromotionGrant> promotions = v1 || v2 || v3 ? List.of() : nextPromotions(in);
      AutoTopUpState autoTopUp = v1 || v2 || v3 || v4 ? null : nextAutoTopUp(in);
      Returns returns = v1 || v2 || v3 || v4 ? Returns.ofCharges(refunded) : nextReturns(in, refunded);
      List<Member> former = v1 || v2 || v3 || v4 ? List.of() : nextFormerMembers(in);
      Team team = members.isEmpty() && former.isEmpty() ? Team.NONE : new Team(members, former);
      in.requireEnd();
      return new Wallet(account, planId, renewalPlanId, schedule, period, subscription, packs, holds, debt,
          reference, warnings, returns, team, eventsRecorded, usage, promotions, autoTopUp);
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException) {
        throw e;
      }
      throw new IllegalArgumentException("malformed wallet: " + e.getMessage(), e);
    }
  }

  /** How many characters {@code Long.toString(value)} has, its sign included. */
  static int decimalLength(long value) {
    int length = value < 0 ? 2 : 1;
    // Negated, so that Long.MIN_VALUE counts too.
    for (long v = value < 0 ? value : -value; v <= -10; v /= 10) {
      length++;
    }
    return length;
  }

  private static final class Writer {
    // A wallet's text is some 250 characters: room for it and more without growing.
    final StringBuilder text = new StringBuilder(512);

    void put(String value) {
      text.append(value.length()).append(':').append(value);
    }

    /** A number as {@code put(Long.toString(value))} writes it, without making that string. */
    void put(long value) {
      text.append(decimalLength(value)).append(':').append(value);
    }

    /** An optional as a count (0 or 1) and the value. */
    void put(Optional<String> value) {
      put(value.isPresent() ? 1 : 0);
      value.ifPresent(this::put);
    }

    /** A map as a count and its entries, sorted by key so that equal maps encode equally. */
    void put(Map<String, Credits> map) {
      put(map.size());
      // One entry or none is in order as it is.
      for (Map.Entry<String, Credits> e : (map.size() <= 1 ? map : new TreeMap<>(map)).entrySet()) {
        put(e.getKey());
        put(e.getValue().thousandths());
      }
    }
  }

  private static final class Reader {
    private final String text;
    private int pos;

    Reader(String text) {
      this.text = text;
    }

    String next() {
      int colon = text.indexOf(':', pos);
      if (colon < 0) {
        throw new IllegalArgumentException("malformed wallet: field expected at " + pos);
      }
      int length;
      try {
        length = Integer.parseInt(text, pos, colon, 10);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("malformed wallet: bad field length at " + pos, e);
      }
      int start = colon + 1;
      if (length < 0 || start + length > text.length()) {
        throw new IllegalArgumentException("malformed wallet: field at " + pos + " runs past the end");
      }
      pos = start + length;
      return text.substring(start, pos);
    }

    long nextLong() {
      return Long.parseLong(next());
    }

    Credits nextCredits() {
      return Credits.ofThousandths(nextLong());
    }

    int nextCount() {
      long count = nextLong();
      if (count < 0 || count > text.length()) {
        throw new IllegalArgumentException("malformed wallet: count " + count);
      }
      return (int) count;
    }

    Optional<String> nextOptional() {
      long present = nextLong();
      if (present != 0 && present != 1) {
        throw new IllegalArgumentException("malformed wallet: optional marker " + present);
      }
      return present == 1 ? Optional.of(next()) : Optional.empty();
    }

    Map<String, Credits> nextCreditsMap() {
      int size = nextCount();
      Map<String, Credits> map = new LinkedHashMap<>();
      for (int i = 0; i < size; i++) {
        if (map.put(next(), nextCredits()) != null) {
          throw new IllegalArgumentException("malformed wallet: a key appears twice in a map");
        }
      }
      return map;
    }

    void requireEnd() {
      if (pos != text.length()) {
        throw new IllegalArgumentException("malformed wallet: " + (text.length() - pos) + " characters left over");
      }
    }
  }
}
