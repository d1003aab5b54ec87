package dev.creditgate;

import static dev.creditgate.GateTestKit.T0;
import static dev.creditgate.GateTestKit.ledger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.creditgate.GateTestKit.RecordingSink;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.AutoTopUp;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.CustomPackTerms;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.OutcomePolicy;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.Pack;
import dev.creditgate.model.Plan;
import dev.creditgate.model.Promotion;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.UpgradePolicy;
import dev.creditgate.spi.EventSink;
import dev.creditgate.spi.GateObserver;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Section 12 of the design, swept: every public method of {@link CreditGate} and of its
 * {@link CreditGateBuilder}, called with a null in each reference parameter and with each
 * out-of-range value it takes, throws a typed {@link CreditGateException} (never a raw
 * {@code NullPointerException}, {@code IllegalArgumentException}, {@code IllegalStateException} or
 * {@code ArithmeticException}) whose message names the value, and leaves the wallet's status, its
 * stored version, its ledger export and the records of the keys it was given exactly as they were.
 *
 * <p>The table below lists every public method with one valid call, the names its messages give its
 * parameters, and its out-of-range values; an overloaded method is listed once per overload, keyed
 * by its parameter types. Each call that takes its time last is listed with its overload that reads
 * the gate's clock instead, which the fixture fixes at {@code NOW}. A public method the table does
 * not list fails {@link #everyPublicMethodIsInTheTable()}, so a new method cannot be added untested.
 * {@link BadInputTest} keeps the hand-picked cases (conflicting keys, malformed text, overflow in
 * the values); this is the systematic sweep.
 */
@DisplayName("Every public method of the gate refuses bad input with a typed exception and changes nothing")
class EveryPublicMethodRefusesBadInputTest {

  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final Instant NOW = T0.plusSeconds(1_800);
  private static final AccountId ALICE = AccountId.of("alice");
  private static final AccountId GHOST = AccountId.of("ghost");
  /** Never opened: the valid call of {@code openWallet} opens it, a refused one must not. */
  private static final AccountId BOB = AccountId.of("bob");
  /** alice's one member (the Free plan's only seat). */
  private static final AccountId MAYA = AccountId.of("maya");
  private static final AccountId STRANGER = AccountId.of("stranger");
  private static final IdempotencyKey FRESH = IdempotencyKey.of("fresh-key");
  private static final IdempotencyKey CHARGED = IdempotencyKey.of("img-1");
  private static final IdempotencyKey PAID = IdempotencyKey.of("pay-1");
  private static final IdempotencyKey PROMOTED = IdempotencyKey.of("promo-1");
  private static final IdempotencyKey OPEN_HOLD = IdempotencyKey.of("hold-open");
  private static final IdempotencyKey RELEASED_HOLD = IdempotencyKey.of("hold-released");
  private static final String MAX = String.valueOf(Long.MAX_VALUE);

  /**
   * The article's catalog, plus a pack no wallet can hold beside any other credits, and custom packs
   * up to a price whose credits do not fit: so the sweep reaches every overflow a call can cause.
   */
  private static final Catalog CATALOG = catalog();

  private static Catalog catalog() {
    Catalog.Builder builder = Catalog.builder();
    Catalog.defaults().plans().forEach(builder::plan);
    Catalog.defaults().packs().forEach(builder::pack);
    return builder
        .pack(new Pack("whale", "Whale", Money.usd("1000000"), Credits.ofThousandths(Long.MAX_VALUE)))
        .customPacks(new CustomPackTerms(Money.usd("5"), Money.usd("10000000000000"), Credits.of(10_000_000)))
        .build();
  }

  // ------------------------------------------------------------------------------------ the table

  /**
   * One public method: a valid call, the names of its parameters in messages, its bad values. The
   * method is the one overload of {@code name} that takes as many parameters as {@code names} lists
   * and accepts the valid call's arguments.
   */
  private record Entry(Class<?> owner, String name, Supplier<Object[]> valid, List<String> names, List<Bad> bad,
      Method method) {
    Entry(Class<?> owner, String name, Supplier<Object[]> valid, List<String> names, List<Bad> bad) {
      this(owner, name, valid, names, bad, resolve(owner, name, names.size(), valid.get()));
    }

    String key() {
      return key(method);
    }

    /** {@code CreditGate.check(AccountId, Operation, long, Instant)}: an overload's own key. */
    static String key(Method method) {
      return method.getDeclaringClass().getSimpleName() + "." + method.getName()
          + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
              .collect(Collectors.joining(", ", "(", ")"));
    }

    private static Method resolve(Class<?> owner, String name, int arity, Object[] args) {
      List<Method> found = new ArrayList<>();
      for (Method method : owner.getMethods()) {
        if (method.getDeclaringClass() == owner && method.getName().equals(name)
            && method.getParameterCount() == arity && accepts(method, args)) {
          found.add(method);
        }
      }
      if (found.size() != 1) {
        throw new IllegalStateException("the table's " + owner.getSimpleName() + "." + name + "/" + arity
            + " with arguments " + Arrays.deepToString(describeAll(args)) + " matches " + found.size()
            + " public methods, not one: " + found);
      }
      return found.get(0);
    }

    private static boolean accepts(Method method, Object[] args) {
      Class<?>[] types = method.getParameterTypes();
      if (types.length != args.length) {
        return false;
      }
      for (int i = 0; i < types.length; i++) {
        Class<?> type = types[i].isPrimitive() ? boxed(types[i]) : types[i];
        if (args[i] == null || !type.isInstance(args[i])) {
          return false;
        }
      }
      return true;
    }

    private static Class<?> boxed(Class<?> primitive) {
      return java.lang.invoke.MethodType.methodType(primitive).wrap().returnType();
    }
  }

  /** An out-of-range call: the valid call changed by {@code change}, refused with {@code type}. */
  private record Bad(String description, UnaryOperator<Object[]> change, Class<? extends CreditGateException> type,
      List<String> named) {}

  private static final Map<String, Entry> TABLE = new LinkedHashMap<>();

  private static void gate(String name, Supplier<Object[]> valid, List<String> names, List<Bad> bad) {
    add(new Entry(CreditGate.class, name, valid, names, bad));
  }

  private static void builder(String name, Supplier<Object[]> valid, List<String> names, List<Bad> bad) {
    add(new Entry(CreditGateBuilder.class, name, valid, names, bad));
  }

  private static void add(Entry entry) {
    if (TABLE.put(entry.key(), entry) != null) {
      throw new IllegalStateException("the table lists " + entry.key() + " twice");
    }
  }

  private static Supplier<Object[]> call(Object... args) {
    return () -> args.clone();
  }

  private static List<String> names(String... names) {
    return Arrays.asList(names);
  }

  @SafeVarargs
  private static List<Bad> bad(List<Bad>... groups) {
    List<Bad> all = new ArrayList<>();
    for (List<Bad> group : groups) {
      all.addAll(group);
    }
    return all;
  }

  private static List<Bad> at(int index, Object value, Class<? extends CreditGateException> type, String... named) {
    return List.of(new Bad("argument " + index + " = " + describe(value), args -> {
      args[index] = value;
      return args;
    }, type, List.of(named)));
  }

  private static List<Bad> with(String description, UnaryOperator<Object[]> change,
      Class<? extends CreditGateException> type, String... named) {
    return List.of(new Bad(description, change, type, List.of(named)));
  }

  private static List<Bad> ghost() {
    return at(0, GHOST, UnknownAccountException.class, "'ghost'");
  }

  /** Times outside the years 1 to 9999, where every date computation is defined. */
  private static List<Bad> times(int index) {
    List<Bad> bad = new ArrayList<>();
    for (Instant at : List.of(Instant.MIN, Instant.parse("0000-12-31T23:59:59Z"),
        Instant.parse("+10000-01-01T00:00:00Z"), Instant.MAX)) {
      bad.addAll(at(index, at, InvalidRequestException.class, at.toString(), "outside the years 1 to 9999"));
    }
    return bad;
  }

  /** The quantities an operation of a fixed cost cannot take: none, fewer than none, too many. */
  private static List<Bad> quantities(int operation) {
    int quantity = operation + 1;
    return bad(
        at(quantity, -1L, InvalidRequestException.class, "quantity", "-1"),
        at(quantity, 0L, InvalidRequestException.class, "quantity", "was 0"),
        with("-1 tokens of a metered operation", args -> {
          args[operation] = Operation.AI_CHAT_MESSAGE;
          args[quantity] = -1L;
          return args;
        }, InvalidRequestException.class, "quantity", "-1"),
        with("-7 of a free operation", args -> {
          args[operation] = Operation.EXPORT_DATA;
          args[quantity] = -7L;
          return args;
        }, InvalidRequestException.class, "quantity", "-7"),
        at(quantity, Long.MAX_VALUE, CreditOverflowException.class, MAX),
        at(operation, Operation.of("teleport"), UnknownOperationException.class, "'teleport'"));
  }

  private static List<Bad> strangerAt(int index) {
    return at(index, STRANGER, UnknownMemberException.class, "'stranger'", "'alice'");
  }

  /**
   * A gate method whose last parameter is its time {@code at}, listed twice: with {@code at} = NOW
   * and the out-of-range times after {@code refusals}, and as its overload without {@code at},
   * which reads the gate's clock and must refuse the same bad values but the times.
   */
  private static void timed(String name, Supplier<Object[]> valid, List<String> names, List<Bad> refusals) {
    gate(name, () -> {
      Object[] args = valid.get();
      Object[] timed = Arrays.copyOf(args, args.length + 1);
      timed[args.length] = NOW;
      return timed;
    }, append(names, "at"), bad(refusals, times(names.size())));
    gate(name, valid, names, refusals);
  }

  private static List<String> append(List<String> names, String name) {
    List<String> all = new ArrayList<>(names);
    all.add(name);
    return all;
  }

  static {
    gate("builder", call(InMemoryWalletStore.create()), names("store"), List.of());
    gate("inMemory", call(), names(), List.of());
    gate("catalog", call(), names(), List.of());
    gate("costTable", call(), names(), List.of());

    timed("openWallet", call(BOB, UTC), names("account", "zone"), List.of());
    timed("status", call(ALICE), names("account"), ghost());
    timed("forecast", call(ALICE), names("account"), ghost());
    timed("advice", call(ALICE), names("account"), ghost());
    timed("check", call(ALICE, Operation.GENERATE_IMAGE, 1L), names("account", "operation", null),
        bad(ghost(), quantities(1)));
    timed("check", call(ALICE, MAYA, Operation.GENERATE_IMAGE, 1L), names("account", "member", "operation", null),
        bad(ghost(), strangerAt(1), quantities(2)));
    timed("charge", call(ALICE, Operation.GENERATE_IMAGE, 1L, FRESH), names("account", "operation", null, "key"),
        bad(ghost(), quantities(1)));
    timed("charge", call(ALICE, MAYA, Operation.GENERATE_IMAGE, 1L, FRESH),
        names("account", "member", "operation", null, "key"),
        bad(ghost(), strangerAt(1), quantities(2)));
    timed("topUp", call(ALICE, "small", FRESH), names("account", "pack id", "payment id"),
        bad(ghost(),
            at(1, "jumbo", UnknownCatalogItemException.class, "pack 'jumbo'"),
            at(1, "", UnknownCatalogItemException.class, "pack ''"),
            at(1, "whale", CreditOverflowException.class, Credits.ofThousandths(Long.MAX_VALUE).toString())));
    timed("topUpCustom", call(ALICE, Money.usd("10"), FRESH), names("account", "price", "payment id"),
        bad(ghost(),
            at(1, Money.usd("4.99"), InvalidRequestException.class, "$4.99", "outside the bounds"),
            at(1, Money.usd("0"), InvalidRequestException.class, "$0.00", "outside the bounds"),
            at(1, Money.usd("10000000000000.01"), InvalidRequestException.class, "$10000000000000.01"),
            at(1, Money.of("10", "EUR"), InvalidRequestException.class, "EUR"),
            at(1, Money.usd("10000000000000"), CreditOverflowException.class, "$10000000000000.00")));
    timed("changePlan", call(ALICE, "pro", FRESH), names("account", "plan id", "key"),
        bad(ghost(), at(1, "enterprise", UnknownCatalogItemException.class, "plan 'enterprise'")));
    timed("reserve", call(ALICE, Operation.GENERATE_IMAGE, 1L, FRESH), names("account", "operation", null, "key"),
        bad(ghost(), quantities(1),
            at(1, Operation.PUBLISH_UPDATE, InvalidRequestException.class, "'publish-update'", "nothing to reserve")));
    timed("reserve", call(ALICE, MAYA, Operation.GENERATE_IMAGE, 1L, FRESH),
        names("account", "member", "operation", null, "key"),
        bad(ghost(), strangerAt(1), quantities(2)));
    timed("capture", call(ALICE, OPEN_HOLD, 1L, Outcome.succeeded(), FRESH),
        names("account", "hold", null, "outcome", "key"),
        bad(ghost(),
            at(1, IdempotencyKey.of("no-such-hold"), HoldStateException.class, "'no-such-hold'", "not open"),
            at(1, RELEASED_HOLD, HoldStateException.class, "'hold-released'", "not open"),
            at(2, -1L, InvalidRequestException.class, "quantity", "-1"),
            at(2, Long.MAX_VALUE, CreditOverflowException.class, MAX)));
    timed("release", call(ALICE, OPEN_HOLD, FRESH), names("account", "hold", "key"),
        bad(ghost(),
            at(1, IdempotencyKey.of("no-such-hold"), HoldStateException.class, "'no-such-hold'", "not open"),
            at(1, RELEASED_HOLD, HoldStateException.class, "'hold-released'", "not open")));
    timed("expireHolds", call(), names(), List.of());
    gate("deliverPendingEvents", call(10), names((String) null),
        bad(at(0, 0, InvalidRequestException.class, "limit", "0"), at(0, -1, InvalidRequestException.class, "limit", "-1")));
    gate("retryStatistics", call(), names(), List.of());
    timed("refundPack", call(ALICE, PAID, Credits.of(10), FRESH), names("account", "payment id", "credits", "key"),
        bad(ghost(),
            at(1, IdempotencyKey.of("pay-unknown"), InvalidRequestException.class, "'pack:pay-unknown'"),
            at(2, Credits.ZERO, InvalidRequestException.class, "refund of 0 "),
            at(2, Credits.of(-1), InvalidRequestException.class, "refund of -1 "),
            at(2, Credits.of(101), InvalidRequestException.class, "refund of 101 ", "(100)"),
            at(2, Credits.ofThousandths(Long.MAX_VALUE), InvalidRequestException.class,
                "refund of " + Credits.ofThousandths(Long.MAX_VALUE))));
    timed("reversePack", call(ALICE, PAID, FRESH), names("account", "payment id", "key"),
        bad(ghost(),
            at(1, IdempotencyKey.of("pay-unknown"), InvalidRequestException.class, "'pay-unknown'", "no pack")));
    timed("refundCharge", call(ALICE, CHARGED, Credits.of(1), FRESH), names("account", "charge key", "credits", "key"),
        bad(ghost(),
            at(1, IdempotencyKey.of("never-used"), InvalidRequestException.class, "'never-used'"),
            at(1, PAID, InvalidRequestException.class, "'pay-1'", "not for a charge or a capture"),
            at(2, Credits.ZERO, InvalidRequestException.class, "refund of 0 "),
            at(2, Credits.of(-1), InvalidRequestException.class, "refund of -1 "),
            at(2, Credits.of(3), InvalidRequestException.class, "refund of 3 ", "(2 of 2)")));
    timed("adjust", call(ALICE, Credits.of(5), "goodwill", FRESH), names("account", "delta", "reason", "key"),
        bad(ghost(),
            at(1, Credits.ZERO, InvalidRequestException.class, "adjustment must not be zero"),
            at(1, Credits.of(-10_000), InvalidRequestException.class, "-10000"),
            at(1, Credits.ofThousandths(Long.MAX_VALUE), CreditOverflowException.class,
                Credits.ofThousandths(Long.MAX_VALUE).toString()),
            at(2, "", InvalidRequestException.class, "reason must not be blank"),
            at(2, " \t", InvalidRequestException.class, "reason must not be blank", "' \\u0009'"),
            at(2, "x".repeat(201), InvalidRequestException.class, "at most 200", "x".repeat(201)),
            at(2, "good\u0000will", InvalidRequestException.class, "U+0000", "'good\\u0000will'"),
            at(2, "good\uD800will", InvalidRequestException.class, "U+D800", "'good\\uD800will'")));
    timed("grantPromotion", call(ALICE, Promotion.of(Credits.of(5), NOW.plusSeconds(3_600), "welcome"), FRESH),
        names("account", "promotion", "key"),
        bad(ghost(), at(1, Promotion.of(Credits.of(5), NOW, "late"), InvalidRequestException.class,
            "must expire after", NOW.toString())));
    timed("grantPromotion", call(ALICE, Credits.of(5), NOW.plusSeconds(3_600), "welcome", FRESH),
        names("account", "credits", "expiresAt", "reason", "key"),
        bad(ghost(),
            at(1, Credits.ZERO, InvalidRequestException.class, "must be positive", "0"),
            at(1, Credits.of(-2), InvalidRequestException.class, "must be positive", "-2"),
            at(2, NOW.minusSeconds(1), InvalidRequestException.class, "must expire after",
                NOW.minusSeconds(1).toString()),
            at(3, "", InvalidRequestException.class, "reason must not be blank"),
            at(3, "x".repeat(201), InvalidRequestException.class, "at most 200", "x".repeat(201))));
    timed("revokePromotion", call(ALICE, PROMOTED, Credits.of(1), FRESH),
        names("account", "promotion key", "credits", "key"),
        bad(ghost(),
            at(1, IdempotencyKey.of("promo-unknown"), InvalidRequestException.class, "'promo:promo-unknown'"),
            at(2, Credits.ZERO, InvalidRequestException.class, "revocation of 0 "),
            at(2, Credits.of(-1), InvalidRequestException.class, "revocation of -1 "),
            at(2, Credits.of(4), InvalidRequestException.class, "revocation of 4 ", "(3)")));
    timed("setAutoTopUp", call(ALICE, Optional.of(AutoTopUp.withPack("small", Credits.of(5), Money.usd("50"), 2)),
        FRESH), names("account", "rule", "key"),
        bad(ghost(),
            at(1, Optional.of(AutoTopUp.withPack("nope", Credits.of(5), Money.usd("50"), 2)),
                UnknownCatalogItemException.class, "nope"),
            at(1, Optional.of(AutoTopUp.withPack("small", Credits.of(5), Money.of("50", "EUR"), 2)),
                InvalidRequestException.class, "EUR 50", "USD")));
    // Alice's request opened when her rule was set (see the set-up), its id telling when.
    String request = "autotopup:alice:1:" + T0.plusSeconds(480).toEpochMilli();
    timed("declineAutoTopUp", call(ALICE, request, "card_declined", FRESH),
        names("account", "requestId", "reason", "key"),
        bad(ghost(),
            at(1, "autotopup:alice:2", InvalidRequestException.class, "'autotopup:alice:2'", "'" + request + "' is"),
            at(1, "", InvalidRequestException.class, "requestId must not be blank"),
            at(2, "", InvalidRequestException.class, "reason must not be blank"),
            at(2, "x".repeat(201), InvalidRequestException.class, "at most 200", "x".repeat(201))));
    gate("exportLedger", () -> new Object[] {ALICE, Instant.MIN, Instant.MAX, LedgerFormat.CSV, new StringBuilder()},
        names("account", "from", "to", "format", "out"), ghost());
    gate("ledger", call(ALICE, Instant.MIN, Instant.MAX), names("account", "from", "to"), ghost());
    gate("replay", call(ALICE), names("account"), ghost());
    timed("addMember", call(ALICE, AccountId.of("newbie"), FRESH), names("account", "member", "key"),
        bad(ghost(), at(1, MAYA, InvalidRequestException.class, "'maya' is already a member")));
    timed("removeMember", call(ALICE, MAYA, FRESH), names("account", "member", "key"),
        bad(ghost(), strangerAt(1)));
    timed("setMemberCap", call(ALICE, MAYA, Optional.of(Credits.of(10)), FRESH),
        names("account", "member", "cap", "key"),
        bad(ghost(), strangerAt(1),
            at(2, Optional.of(Credits.of(-5)), InvalidRequestException.class, "cap", "-5000")));
    timed("usage", call(ALICE), names("account"), ghost());
    timed("has", call(ALICE, Catalog.CUSTOM_DOMAINS), names("account", "feature"), ghost());
    timed("limit", call(ALICE, Plan.SEATS), names("account", "limit"), ghost());

    builder("eventSink", call(EventSink.discarding()), names("eventSink"), List.of());
    builder("catalog", call(Catalog.defaults()), names("catalog"), List.of());
    builder("costTable", call(CostTable.defaults()), names("costTable"), List.of());
    builder("spendOrder", call(SpendOrder.PACKS_FIRST), names("spendOrder"), List.of());
    builder("overdraft", call(OverdraftPolicy.downTo(Credits.of(5))), names("overdraft"), List.of());
    builder("upgradePolicy", call(UpgradePolicy.RESTART_PERIOD), names("upgradePolicy"), List.of());
    builder("outcomePolicy", call(OutcomePolicy.defaults()), names("outcomePolicy"), List.of());
    builder("clock", call(Clock.fixed(NOW, UTC)), names("clock"), List.of());
    builder("observer", call(new GateObserver() {}), names("observer"), List.of());
    builder("warnAt", () -> new Object[] {new int[] {50, 10, 0}}, names("percents"),
        bad(at(0, new int[] {20, 120}, InvalidRequestException.class, "120", "0..100"),
            at(0, new int[] {-1}, InvalidRequestException.class, "-1", "0..100"),
            at(0, new int[] {20, 20}, InvalidRequestException.class, "20 appears twice"),
            at(0, IntStream.rangeClosed(0, 31).toArray(), InvalidRequestException.class, "32")));
    builder("warnBelow", () -> new Object[] {new Credits[] {Credits.of(5), Credits.ZERO}}, names("amounts"),
        bad(at(0, new Credits[] {Credits.of(5), Credits.of(-1)}, InvalidRequestException.class, "-1", "zero or more"),
            at(0, new Credits[] {Credits.of(5), Credits.of(5)}, InvalidRequestException.class, "5 appears twice"),
            at(0, new Credits[] {Credits.of(5), null}, InvalidRequestException.class, "amounts")));
    builder("warnWhenDepleted", call(true), names((String) null), List.of());
    builder("warnBeforeExpiry", call(Duration.ofDays(3)), names("warnBeforeExpiry"),
        bad(at(0, Duration.ofSeconds(-1), InvalidRequestException.class, "PT-1S"),
            at(0, Duration.ofDays(365).plusNanos(1), InvalidRequestException.class, "PT8760H0.000000001S")));
    builder("holdTimeToLive", call(Duration.ofHours(2)), names("holdTimeToLive"),
        bad(at(0, Duration.ZERO, InvalidRequestException.class, "PT0S"),
            at(0, Duration.ofSeconds(-1), InvalidRequestException.class, "PT-1S"),
            at(0, Duration.ofDays(365).plusNanos(1), InvalidRequestException.class, "PT8760H0.000000001S"),
            at(0, Duration.ofSeconds(Long.MAX_VALUE), InvalidRequestException.class,
                Duration.ofSeconds(Long.MAX_VALUE).toString())));
    builder("forecastWindow", call(Duration.ofDays(7)), names("forecastWindow"),
        bad(at(0, Duration.ZERO, InvalidRequestException.class, "PT0S"),
            at(0, Duration.ofDays(32), InvalidRequestException.class, "PT768H", "1 to 31"),
            at(0, Duration.ofHours(36), InvalidRequestException.class, "PT36H", "whole number of days"),
            at(0, Duration.ofDays(-1), InvalidRequestException.class, "PT-24H")));
    builder("forecastMinimumHistory", call(Duration.ofHours(6)), names("forecastMinimumHistory"),
        bad(at(0, Duration.ZERO, InvalidRequestException.class, "PT0S"),
            at(0, Duration.ofSeconds(-1), InvalidRequestException.class, "PT-1S"),
            at(0, Duration.ofDays(31).plusNanos(1), InvalidRequestException.class, "PT744H0.000000001S")));
    builder("upgradeAdvice", call(2, 4), names(null, null),
        bad(at(0, 0, InvalidRequestException.class, "periods short", "were 0"),
            at(0, 5, InvalidRequestException.class, "periods short", "were 5", "of the last 4"),
            at(1, 8, InvalidRequestException.class, "not 8", "1 to 7"),
            at(1, 0, InvalidRequestException.class, "not 0")));
    builder("upgradeAdviceWhenPacksExceed", call(150), names((String) null),
        bad(at(0, 0, InvalidRequestException.class, "percent", "was 0"),
            at(0, 10_001, InvalidRequestException.class, "percent", "was 10001")));
    builder("build", call(), names(), List.of());
  }

  // ------------------------------------------------------------------------------------ the fixture

  private final InMemoryWalletStore store = InMemoryWalletStore.create();
  private final RecordingSink sink = new RecordingSink();
  /** Its clock is fixed at NOW, so the calls without an explicit time act at NOW too. */
  private final CreditGate gate = CreditGate.builder(store).eventSink(sink).catalog(CATALOG)
      .holdTimeToLive(Duration.ofHours(1)).clock(Clock.fixed(NOW, UTC)).build();

  private record Snapshot(Object stored, Object ledger, WalletStatus status, String export,
      boolean ghost, boolean bob) {}

  private Snapshot before;

  /**
   * alice, on Free, has a history: one image generated ({@code img-1}), one Small pack
   * ({@code pay-1}), maya as her one member, one hold open and one released.
   */
  @BeforeEach
  void aliceWithHistory() {
    gate.openWallet(ALICE, UTC, T0);
    assertTrue(gate.charge(ALICE, Operation.GENERATE_IMAGE, 1, CHARGED, T0.plusSeconds(60)).isAllowed());
    gate.topUp(ALICE, "small", PAID, T0.plusSeconds(120));
    gate.addMember(ALICE, MAYA, IdempotencyKey.of("add-maya"), T0.plusSeconds(180));
    assertTrue(gate.reserve(ALICE, Operation.GENERATE_IMAGE, 1, OPEN_HOLD, T0.plusSeconds(240)).isAllowed());
    assertTrue(gate.reserve(ALICE, Operation.GENERATE_IMAGE, 1, RELEASED_HOLD, T0.plusSeconds(300)).isAllowed());
    gate.release(ALICE, RELEASED_HOLD, IdempotencyKey.of("release-1"), T0.plusSeconds(360));
    gate.grantPromotion(ALICE, Promotion.of(Credits.of(3), NOW.plusSeconds(86_400), "referral")
        .scopedTo(Operation.GENERATE_IMAGE), PROMOTED, T0.plusSeconds(420));
    // Auto top-up under a threshold alice is already under: setting it opens her request 1.
    gate.setAutoTopUp(ALICE, Optional.of(AutoTopUp.withPack("small", Credits.of(1_000), Money.usd("100"), 5)),
        IdempotencyKey.of("auto-1"), T0.plusSeconds(480));
    assertTrue(gate.charge(ALICE, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-2"), T0.plusSeconds(540))
        .isAllowed());
    sink.clear();
    before = snapshot();
  }

  private Snapshot snapshot() {
    StringBuilder export = new StringBuilder();
    gate.exportLedger(ALICE, Instant.MIN, Instant.MAX, LedgerFormat.CSV, export);
    return new Snapshot(store.load(ALICE).orElseThrow(), ledger(store, ALICE), gate.status(ALICE, NOW),
        export.toString(), store.load(GHOST).isPresent(), store.load(BOB).isPresent());
  }

  // ------------------------------------------------------------------------------------ the tests

  @Test
  void everyPublicMethodIsInTheTable() {
    TreeSet<String> methods = new TreeSet<>();
    for (Class<?> owner : List.of(CreditGate.class, CreditGateBuilder.class)) {
      for (Method method : owner.getMethods()) {
        if (method.getDeclaringClass() == owner) {
          String key = Entry.key(method);
          assertTrue(methods.add(key), key + " is declared twice (a bridge method?): the table cannot tell them apart");
        }
      }
    }
    TreeSet<String> untested = new TreeSet<>(methods);
    untested.removeAll(TABLE.keySet());
    assertEquals(new TreeSet<>(), untested, "public methods the table does not list: add them with their bad input");
    TreeSet<String> gone = new TreeSet<>(TABLE.keySet());
    gone.removeAll(methods);
    assertEquals(new TreeSet<>(), gone, "the table lists methods that are not public methods");
    for (Entry entry : TABLE.values()) {
      Method method = entry.method();
      for (int i = 0; i < entry.names().size(); i++) {
        assertEquals(method.getParameterTypes()[i].isPrimitive(), entry.names().get(i) == null,
            entry.key() + ": a name for every reference parameter and none for a primitive, at " + i);
      }
    }
  }

  static Stream<Arguments> validCalls() {
    return TABLE.values().stream().map(e -> Arguments.argumentSet(e.key(), e.key()));
  }

  /** The sweep changes one argument of a call that works, so each refusal is for that argument. */
  @ParameterizedTest
  @MethodSource("validCalls")
  void theValidCallOfEachEntryGoesThrough(String key) {
    Entry entry = TABLE.get(key);
    Throwable thrown = invoke(entry, entry.valid().get());
    assertNull(thrown, () -> key + " threw " + thrown);
  }

  static Stream<Arguments> nulls() {
    List<Arguments> cases = new ArrayList<>();
    for (Entry entry : TABLE.values()) {
      for (int i = 0; i < entry.names().size(); i++) {
        if (entry.names().get(i) != null) {
          cases.add(Arguments.argumentSet(entry.key() + ": null " + entry.names().get(i), entry.key(), i));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest
  @MethodSource("nulls")
  void aNullInAReferenceParameterIsRefusedNamingIt(String key, int index) {
    Entry entry = TABLE.get(key);
    Object[] args = entry.valid().get();
    args[index] = null;
    String name = entry.names().get(index);
    InvalidRequestException e = refused(entry, args, InvalidRequestException.class, List.of(name + " must not be null"));
    assertEquals(Optional.of(name), e.argument(), "the exception names the parameter");
    assertEquals(Optional.empty(), e.value(), "and its value was null");
  }

  static Stream<Arguments> outOfRange() {
    List<Arguments> cases = new ArrayList<>();
    for (Entry entry : TABLE.values()) {
      for (int i = 0; i < entry.bad().size(); i++) {
        cases.add(Arguments.argumentSet(entry.key() + ": " + entry.bad().get(i).description(), entry.key(), i));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest
  @MethodSource("outOfRange")
  void anOutOfRangeValueIsRefusedNamingIt(String key, int index) {
    Entry entry = TABLE.get(key);
    Bad bad = entry.bad().get(index);
    refused(entry, bad.change().apply(entry.valid().get()), bad.type(), bad.named());
  }

  // ------------------------------------------------------------------------------------ helpers

  /**
   * Calls {@code entry} with {@code args}, asserts it throws exactly {@code type} (a
   * {@link CreditGateException}, retrying which fails the same way) with a message containing every
   * {@code named} fragment, and that nothing changed.
   */
  private <T extends CreditGateException> T refused(Entry entry, Object[] args, Class<T> type, List<String> named) {
    Map<IdempotencyKey, Optional<IdempotencyRecord>> records = new LinkedHashMap<>();
    for (Object arg : args) {
      if (arg instanceof IdempotencyKey key) {
        records.put(key, store.findRecord(ALICE, key));
      }
    }
    String call = entry.key() + Arrays.deepToString(describeAll(args));
    Throwable thrown = invoke(entry, args);
    if (thrown == null) {
      fail(call + " was accepted");
    }
    if (!(thrown instanceof CreditGateException refusal)) {
      throw new AssertionError(call + " threw a raw " + thrown.getClass().getName() + ": " + thrown.getMessage(),
          thrown);
    }
    assertEquals(type, thrown.getClass(), () -> call + " threw " + thrown);
    for (String fragment : named) {
      assertTrue(thrown.getMessage().contains(fragment),
          call + ": the message should name '" + fragment + "' but was: " + thrown.getMessage());
    }
    assertFalse(refusal.isRetrySafe(), call + ": the same call would fail the same way");
    assertEquals(before, snapshot(), call + " changed alice's wallet, its ledger, or opened a wallet");
    for (Map.Entry<IdempotencyKey, Optional<IdempotencyRecord>> record : records.entrySet()) {
      assertEquals(record.getValue(), store.findRecord(ALICE, record.getKey()),
          call + " changed the record of key '" + record.getKey() + "'");
    }
    assertEquals(List.of(), sink.events, call + " published events");
    return type.cast(thrown);
  }

  private Throwable invoke(Entry entry, Object[] args) {
    Method method = entry.method();
    Object target = Modifier.isStatic(method.getModifiers()) ? null
        : entry.owner() == CreditGate.class ? gate : CreditGate.builder(InMemoryWalletStore.create());
    try {
      method.invoke(target, args);
      return null;
    } catch (InvocationTargetException e) {
      return e.getCause();
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  private static Object[] describeAll(Object[] args) {
    return Arrays.stream(args).map(EveryPublicMethodRefusesBadInputTest::describe).toArray();
  }

  private static String describe(Object value) {
    if (value instanceof int[] ints) {
      return Arrays.toString(ints);
    }
    String text = String.valueOf(value);
    return CreditGateException.printable(text.length() > 40 ? text.substring(0, 40) + "..." : text);
  }
}
