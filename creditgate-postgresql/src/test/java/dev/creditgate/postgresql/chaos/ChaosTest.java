package dev.creditgate.postgresql.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.HoldStateException;
import dev.creditgate.LedgerReplay;
import dev.creditgate.TopUp;
import dev.creditgate.HoldSettlement;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.EventId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.postgresql.JdbcWalletStore;
import dev.creditgate.postgresql.Shape;
import dev.creditgate.postgresql.TestDatabase;
import dev.creditgate.postgresql.chaos.ChaosMonkey.Fault;
import dev.creditgate.spi.StoreException;
import dev.creditgate.spi.StoreUnavailableException;
import dev.creditgate.spi.WalletStore;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chaos suite (issue 11), on a PostgreSQL of its own ({@link ChaosServer}: it stops and starts
 * it, so it never uses the shared test database, nor {@code CREDITGATE_TEST_JDBC_URL}). Three service instances, each a gate with its own
 * {@link JdbcWalletStore} and connection pool, charge, reserve, capture, release, top up and change
 * plans on a few shared wallets from several threads each, every call with its own idempotency
 * key, while a {@link ChaosMonkey} breaks things: commit replies swallowed by a {@link WireProxy}
 * in front of PostgreSQL, connections reset mid-statement, traffic stalled, backends terminated, the
 * wallet table locked from outside, a 1 ms {@code statement_timeout} on some connections, and the
 * server stopped and started again. Every call is recorded with its answer or its exception.
 *
 * <p>Afterwards, with the chaos stopped, on a clean connection: every wallet's ledger replays to it;
 * every call re-sent with its key returns the answer it first got and changes nothing; every call
 * that was applied (its key has a record) was answered, or failed with an exception that says it
 * may have been applied; every call that failed with a store failure and was not applied is
 * applied when retried with its key; no other exception than a store failure (or a hold that is not open,
 * where the reserve failed) reached a caller; every ledger entry and every event belongs to a call
 * that was applied, once.
 *
 * <p>Bounded: {@value #DEFAULT_CHAOS_SECONDS} s of chaos by default (about 35 s for the whole
 * test, the server's start included), longer with {@code -Dchaos.seconds=N} (the {@code soak}
 * profile); the seed is printed and in every failure, and {@code -Dchaos.seed=S} repeats its
 * draws (the interleaving is the machine's).
 */
class ChaosTest {
  private static final String SCHEMA = "creditgate_chaos";
  private static final ZoneId ZONE = ZoneId.of("UTC");
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final int INSTANCES = 3;
  private static final int THREADS_PER_INSTANCE = 4;
  private static final int WALLETS = 4;
  private static final List<String> PLANS = List.of("free", "pro", "team");
  private static final int DEFAULT_CHAOS_SECONDS = 20;
  private static final long CHAOS_SECONDS = Long.getLong("chaos.seconds", DEFAULT_CHAOS_SECONDS);
  private static final long SEED = Long.getLong("chaos.seed", new SecureRandom().nextLong());
  /** A call's longest plausible run under chaos; past it a worker is taken for hung. */
  private static final long CALL_BOUND_SECONDS = 60;

  /**
   * Whether a call that was applied (its key has a record) but whose caller got an exception other
   * than {@code CommitOutcomeUnknownException} fails the suite: an applied call must never be
   * reported as "nothing was written". On by default; {@code -Dchaos.strictOutcomes=false} only
   * counts and prints them.
   */
  private static final boolean STRICT_OUTCOMES = Boolean.parseBoolean(System.getProperty("chaos.strictOutcomes",
      "true"));
  /** The exception, by simple name, that says a commit may have landed. */
  private static final String OUTCOME_UNKNOWN = "CommitOutcomeUnknownException";
  /** Every event any gate handed to its sink, in the order the sinks took them. */
  private static final List<Delivered> DELIVERED = Collections.synchronizedList(new ArrayList<>());

  /** One event as a sink took it. */
  private record Delivered(EventId id, WalletEvent event) {}

  @Test
  void everyCallIsAppliedAtMostOnceAndAnsweredTruthfullyUnderChaos() throws Exception {
    DELIVERED.clear();
    long started = System.nanoTime();
    List<AutoCloseable> opened = new ArrayList<>();
    ExecutorService workers = Executors.newFixedThreadPool(INSTANCES * THREADS_PER_INSTANCE + 1, r -> {
      Thread t = new Thread(r, "chaos-worker");
      t.setDaemon(true);
      return t;
    });
    try {
      ChaosServer server = ChaosServer.start();
      opened.add(server);
      ChaosPool setupPool = new ChaosPool(ChaosServer.url(server.port()), "creditgate-chaos-setup", 2);
      opened.add(setupPool);
      TestDatabase.store(setupPool, SCHEMA).build().createSchema();
      WireProxy proxy = new WireProxy(server.port());
      opened.add(proxy);
      long serverReady = System.nanoTime();

      List<ChaosPool> pools = new ArrayList<>();
      List<CreditGate> gates = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        ChaosPool pool = new ChaosPool(ChaosServer.url(proxy.port()), "creditgate-chaos-gate-" + i,
            THREADS_PER_INSTANCE + 1);
        opened.add(pool);
        pools.add(pool);
        // One instance per write shape: wallet locks, optimistic versions, group commit.
        Shape shape = Shape.values()[i % Shape.values().length];
        gates.add(gate(new TrackedStore(shape.configure(TestDatabase.store(pool, SCHEMA)).build())));
      }
      CreditGate setup = gate(TestDatabase.store(setupPool, SCHEMA).build());
      List<AccountId> wallets = new ArrayList<>();
      for (int w = 0; w < WALLETS; w++) {
        AccountId wallet = AccountId.of("wallet-" + w);
        wallets.add(wallet);
        setup.openWallet(wallet, ZONE, T0);
        setup.topUp(wallet, "small", IdempotencyKey.of("setup-" + w), T0);
      }
      setupPool.close();
      for (CreditGate gate : gates) {
        gate.status(wallets.get(0), T0); // each store checks its schema once, before the chaos
      }

      // The chaos: workers and the monkey, all until one deadline.
      long chaosStart = System.nanoTime();
      long deadline = chaosStart + TimeUnit.SECONDS.toNanos(CHAOS_SECONDS);
      List<Long> restarts = new ArrayList<>();
      long restartCount = Math.max(1, CHAOS_SECONDS / 60);
      for (long k = 1; k <= restartCount; k++) {
        restarts.add(chaosStart + TimeUnit.SECONDS.toNanos(CHAOS_SECONDS) * k / (restartCount + 1));
      }
      ChaosMonkey monkey = new ChaosMonkey(SEED, deadline, restarts, proxy, server, pools, SCHEMA);
      AtomicInteger ids = new AtomicInteger();
      AtomicLong clock = new AtomicLong();
      List<Future<List<Call>>> running = new ArrayList<>();
      for (int t = 0; t < INSTANCES * THREADS_PER_INSTANCE; t++) {
        CreditGate gate = gates.get(t % INSTANCES);
        String caller = "g" + (t % INSTANCES) + "-t" + t;
        Random random = new Random(SEED * 1_000_003L + t);
        running.add(workers.submit(() -> work(gate, caller, random, wallets, deadline, ids, clock)));
      }
      Future<?> chaos = workers.submit(monkey);
      List<Call> calls = new ArrayList<>();
      long bound = deadline + TimeUnit.SECONDS.toNanos(CALL_BOUND_SECONDS);
      try {
        for (Future<List<Call>> f : running) {
          calls.addAll(f.get(Math.max(1, bound - System.nanoTime()), TimeUnit.NANOSECONDS));
        }
        chaos.get(Math.max(1, bound - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        fail(seeded("a worker or the monkey did not end within " + CALL_BOUND_SECONDS + " s of the deadline:\n"
            + stacks()));
      }
      proxy.disarm();
      pools.forEach(ChaosPool::disarm);
      long chaosEnd = System.nanoTime();
      calls.sort((a, b) -> Integer.compare(a.id, b.id));

      // The checks, on connections opened now, straight to the server (the chaos is over).
      ChaosPool direct = new ChaosPool(ChaosServer.url(server.port()), "creditgate-chaos-clean", 8);
      opened.add(direct);
      CreditGate clean = gate(TestDatabase.store(direct, SCHEMA).build());
      Check check = new Check();
      verify(check, calls, wallets, clean, direct, pools, monkey, workers);
      verifyChaosFired(check, calls, monkey, proxy, pools, restarts.size());
      long verified = System.nanoTime();

      String report = report(calls, monkey, proxy, pools, check, started, serverReady, chaosStart, chaosEnd, verified);
      System.out.println(report);
      check.assertNone(report);
    } finally {
      workers.shutdownNow();
      closeAll(opened);
    }
  }

  /**
   * A gate as every instance has it, whatever its store. Holds live a day: however long a soak
   * runs (a millisecond of the wallets' time per call), none expires, so a hold's settlement
   * depends only on its reserve. Every event any gate delivers is kept, in order, in
   * {@link #DELIVERED}.
   */
  private static CreditGate gate(WalletStore store) {
    return CreditGate.builder(store).eventSink((id, event) -> DELIVERED.add(new Delivered(id, event)))
        .holdTimeToLive(Duration.ofDays(1)).build();
  }

  /** One worker: calls until the deadline, each with its own key; settles the holds it opened. */
  private static List<Call> work(CreditGate gate, String caller, Random random, List<AccountId> wallets,
      long deadline, AtomicInteger ids, AtomicLong clock) {
    List<Call> calls = new ArrayList<>();
    Deque<Call> holds = new ArrayDeque<>();
    for (int n = 0; System.nanoTime() < deadline; n++) {
      Call call = next(caller + "-" + n, ids.incrementAndGet(), caller, random, wallets, holds,
          T0.plusMillis(clock.incrementAndGet()));
      call.make(gate);
      calls.add(call);
      // A reserve that failed may have opened its hold: settle it too, and see what the gate says.
      if (call.kind == Call.Kind.RESERVE && (call.openedHold() || call.failure != null)) {
        holds.add(call);
      }
    }
    return calls;
  }

  /** The next call a worker makes, drawn from its seeded random. */
  private static Call next(String keyText, int id, String caller, Random random, List<AccountId> wallets,
      Deque<Call> holds, Instant at) {
    IdempotencyKey key = IdempotencyKey.of(keyText);
    if (!holds.isEmpty() && random.nextInt(3) == 0) {
      Call hold = holds.poll();
      if (random.nextInt(3) < 2) {
        long used = random.nextInt(4);
        return new Call(id, caller, Call.Kind.CAPTURE, hold.wallet, key, "capture " + hold.key + " x" + used + " at " + at,
            hold, g -> g.capture(hold.wallet, hold.key, used, Outcome.succeeded(), key, at));
      }
      return new Call(id, caller, Call.Kind.RELEASE, hold.wallet, key, "release " + hold.key + " at " + at, hold,
          g -> g.release(hold.wallet, hold.key, key, at));
    }
    AccountId wallet = wallets.get(random.nextInt(wallets.size()));
    // Top ups and upgrades grant about what the charges spend, so wallets run dry now and then.
    int pick = random.nextInt(100);
    if (pick < 55) {
      long quantity = 1 + random.nextInt(10);
      return new Call(id, caller, Call.Kind.CHARGE, wallet, key, "charge image x" + quantity + " at " + at, null,
          g -> g.charge(wallet, Operation.GENERATE_IMAGE, quantity, key, at));
    }
    if (pick < 85) {
      long quantity = 1 + random.nextInt(3);
      return new Call(id, caller, Call.Kind.RESERVE, wallet, key, "reserve image x" + quantity + " at " + at, null,
          g -> g.reserve(wallet, Operation.GENERATE_IMAGE, quantity, key, at));
    }
    if (pick < 91) {
      return new Call(id, caller, Call.Kind.TOP_UP, wallet, key, "top up small at " + at, null,
          g -> g.topUp(wallet, "small", key, at));
    }
    String plan = PLANS.get(random.nextInt(PLANS.size()));
    return new Call(id, caller, Call.Kind.CHANGE_PLAN, wallet, key, "change plan to " + plan + " at " + at, null,
        g -> g.changePlan(wallet, plan, key, at));
  }

  /** Every check of the run, on the store as the chaos left it, through a clean connection. */
  private static void verify(Check check, List<Call> calls, List<AccountId> wallets, CreditGate clean,
      ChaosPool direct, List<ChaosPool> pools, ChaosMonkey monkey, ExecutorService threads) throws Exception {
    Set<String> records;
    Map<String, List<long[]>> ledger;
    try (Connection c = direct.getConnection()) {
      records = recordKeys(c);
      ledger = ledgerByKey(c);
    }
    Set<String> made = new HashSet<>();
    for (Call call : calls) {
      made.add(call.recordKey());
    }
    for (String record : records) {
      if (!made.contains(record) && !record.contains("|setup-")) {
        check.hard("a record no call made", record);
      }
    }
    for (String key : ledger.keySet()) {
      if (!records.contains(key)) {
        check.hard("ledger entries under a key that has no record (a change without its record)", key);
      }
    }

    // The wallets: each ledger replays to its stored wallet.
    for (AccountId wallet : wallets) {
      LedgerReplay replay = clean.replay(wallet);
      if (!replay.isConsistent()) {
        check.hard("a ledger that does not replay to its wallet", replay.toString());
      }
    }

    // Each call: what its caller was told, against what the store holds.
    for (Call call : calls) {
      boolean recorded = records.contains(call.recordKey());
      if (call.failure == null) {
        if (Call.recordsItsKey(call.answer) != recorded) {
          check.hard(recorded ? "a denial whose key has a record" : "an answer whose key has no record", call);
        }
        if (call.hold != null && !records.contains(call.hold.recordKey())) {
          check.hard("a hold settled that was never reserved", call);
        }
        continue;
      }
      RuntimeException e = call.failure;
      if (e instanceof StoreException store && isStoreFailure(store)) {
        if (!store.isRetrySafe()) {
          check.hard("a store failure that says it is not retry-safe", call);
        }
      } else if (!(e instanceof HoldStateException && call.hold != null && !records.contains(call.hold.recordKey()))) {
        check.hard("an exception a caller should not see", call);
      }
      if (recorded && !e.getClass().getSimpleName().equals(OUTCOME_UNKNOWN)) {
        check.outcome(call);
      }
    }

    // Re-sending every applied call with its key: its first answer, and nothing changes.
    String before;
    try (Connection c = direct.getConnection()) {
      before = snapshot(c);
    }
    List<Call> applied = calls.stream().filter(call -> records.contains(call.recordKey())).toList();
    Map<Call, Object> resent = resend(check, applied, clean, threads);
    try (Connection c = direct.getConnection()) {
      String after = snapshot(c);
      if (!after.equals(before)) {
        check.hard("re-sending the applied calls changed the store", "before:\n" + before + "\nafter:\n" + after);
      }
    }

    // Applied once: each applied call's ledger entries are those of one application of its answer.
    for (Call call : applied) {
      Object answer = call.failure == null ? call.answer : resent.get(call);
      List<long[]> entries = ledger.getOrDefault(call.recordKey(), List.of());
      String problem = appliedOnce(call.kind, answer, entries);
      if (problem != null) {
        check.hard("a call applied other than once", call + ": " + problem + " " + describe(entries));
      }
    }

    // The promise of a retry-safe failure: the same call, with its key, once the database is back,
    // is applied (once: the replays above already hold). In call order, so that a reserve comes
    // before the settlement of its hold; a settlement whose hold never opened is refused.
    Set<String> appliedNow = new HashSet<>(records);
    for (Call call : calls) {
      if (!(call.failure instanceof StoreException) || records.contains(call.recordKey())) {
        continue;
      }
      try {
        Object again = call.resend(clean);
        check.retriedAfterChaos++;
        if (Call.recordsItsKey(again)) {
          appliedNow.add(call.recordKey());
        }
      } catch (HoldStateException e) {
        if (call.hold == null || appliedNow.contains(call.hold.recordKey())) {
          check.hard("a failed call retried after the chaos that was refused", call + " retried: " + e);
        }
      } catch (RuntimeException e) {
        check.hard("a failed call retried after the chaos that failed again", call + " retried: " + e);
      }
    }
    for (AccountId wallet : wallets) {
      LedgerReplay replay = clean.replay(wallet);
      if (!replay.isConsistent()) {
        check.hard("a ledger that does not replay to its wallet once the failed calls were retried", replay);
      }
    }

    // Events: with the chaos over, the relay delivers whatever the calls could not; then every event
    // of every committed change (the outbox, written by the commits themselves) reached a sink at
    // least once, each account's in sequence order, and nothing else did.
    int relayed = 0;
    for (int run = 0; run < 1_000; run++) {
      int delivered = clean.deliverPendingEvents(10_000);
      relayed += delivered;
      if (delivered == 0) {
        break;
      }
    }
    check.relayed = relayed;
    Map<EventId, String> outbox = new HashMap<>();
    try (Connection c = direct.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT account_id, sequence, event, delivered_at IS NOT NULL FROM " + SCHEMA
            + ".creditgate_event")) {
      while (rs.next()) {
        EventId id = new EventId(AccountId.of(rs.getString(1)), rs.getLong(2));
        outbox.put(id, rs.getString(3));
        if (!rs.getBoolean(4)) {
          check.hard("an event still undelivered once the relay ran dry", id);
        }
      }
    }
    Map<AccountId, Long> highest = new HashMap<>();
    for (EventId id : outbox.keySet()) {
      highest.merge(id.account(), id.sequence(), Math::max);
    }
    highest.forEach((account, last) -> {
      for (long s = 1; s <= last; s++) {
        if (!outbox.containsKey(new EventId(account, s))) {
          check.hard("a gap in an account's event sequence", new EventId(account, s));
        }
      }
    });
    Map<AccountId, Long> accepted = new HashMap<>();
    Set<EventId> seen = new HashSet<>();
    Set<String> grants = new HashSet<>();
    synchronized (DELIVERED) {
      for (Delivered d : DELIVERED) {
        if (!outbox.containsKey(d.id())) {
          check.hard("an event delivered that no committed change recorded", d);
        }
        if (!d.event().account().equals(d.id().account())) {
          check.hard("an event delivered under another account's id", d);
        }
        long upTo = accepted.getOrDefault(d.id().account(), 0L);
        if (d.id().sequence() > upTo + 1) {
          check.hard("an event delivered before an earlier one of its account", d.id() + " after " + upTo);
        }
        accepted.put(d.id().account(), Math.max(upTo, d.id().sequence()));
        seen.add(d.id());
        if (d.event() instanceof WalletEvent.CreditsGranted g) {
          grants.add(g.account().value() + "|" + g.grant());
        }
      }
      check.deliveries = DELIVERED.size();
    }
    for (EventId id : outbox.keySet()) {
      if (!seen.contains(id)) {
        check.hard("an event of a committed change that never reached a sink", id);
      }
    }
    for (Call call : calls) {
      if (call.kind == Call.Kind.TOP_UP && records.contains(call.recordKey())
          && !grants.contains(call.wallet.value() + "|pack:" + call.key.value())) {
        check.hard("a committed top up whose CreditsGranted never reached a sink", call);
      }
    }
    check.outboxEvents = outbox.size();


    for (ChaosPool pool : pools) {
      if (pool.borrowedCount() != 0) {
        check.hard("a pool with connections never handed back", pool.borrowedCount());
      }
    }
    for (String error : monkey.errors()) {
      check.hard("a fault that could not be injected", error);
    }
  }

  /**
   * That the chaos happened: every kind of fault fired, the gate retried and recovered, and some
   * commits whose reply was lost were answered from their record. A proxy or monkey that silently
   * did nothing fails here rather than passing a run without chaos.
   */
  private static void verifyChaosFired(Check check, List<Call> calls, ChaosMonkey monkey, WireProxy proxy,
      List<ChaosPool> pools, int restarts) {
    Map<String, Long> fired = new LinkedHashMap<>();
    fired.put("commit replies swallowed", (long) proxy.commitRepliesSwallowed.get());
    fired.put("connections reset before a statement", (long) proxy.resetBeforeStatement.get());
    fired.put("connections reset after a statement", (long) proxy.resetAfterStatement.get());
    fired.put("writes held by a stall", (long) proxy.stalledWrites.get());
    fired.put("backends terminated", (long) monkey.terminated());
    fired.put("wallet table locks held", (long) monkey.injected().getOrDefault(Fault.LOCK_WALLET_TABLE, 0));
    fired.put("borrows with a 1 ms statement_timeout", pools.stream().mapToLong(p -> p.tinyTimeoutBorrows.get()).sum());
    fired.put("calls answered after a store fault", calls.stream().filter(c -> c.failure == null && c.faultedAttempts > 0)
        .count());
    fired.put("calls answered from the record of a commit whose reply was lost",
        calls.stream().filter(c -> c.failure == null && c.replays > 0).count());
    fired.forEach((what, n) -> {
      if (n == 0) {
        check.hard("a fault that never fired", what);
      }
    });
    if (monkey.injected().getOrDefault(Fault.SERVER_RESTART, 0) != restarts) {
      check.hard("server restarts other than scheduled", monkey.injected().get(Fault.SERVER_RESTART));
    }
  }

  /** Why the entries under an applied call's key are not one application of its answer; null if they are. */
  private static String appliedOnce(Call.Kind kind, Object answer, List<long[]> entries) {
    switch (kind) {
      case CHARGE -> {
        Decision d = (Decision) answer;
        return sum(entries, "DEBIT") == -d.cost().thousandths() ? null : "debits do not sum to -" + d.cost();
      }
      case RESERVE -> {
        Decision d = (Decision) answer;
        return count(entries, "HOLD") == 1 && sum(entries, "HOLD") == d.cost().thousandths() ? null
            : "not one hold of " + d.cost();
      }
      case CAPTURE, RELEASE -> {
        HoldSettlement s = (HoldSettlement) answer;
        return count(entries, "RELEASE") == 1 && sum(entries, "CAPTURE") == -s.charged().thousandths() ? null
            : "not one release with a capture of " + s.charged();
      }
      case TOP_UP -> {
        TopUp t = (TopUp) answer;
        return count(entries, "GRANT") == 1 && sum(entries, "GRANT") == t.credits().thousandths() ? null
            : "not one grant of " + t.credits();
      }
      default -> {
        return null; // a plan change's entries depend on the plans: the replay checks their sums
      }
    }
  }

  /** Re-sends each call (in parallel, bounded), checks its answer, and hands back what each answered. */
  private static Map<Call, Object> resend(Check check, List<Call> applied, CreditGate clean, ExecutorService threads)
      throws Exception {
    Map<Call, Object> answers = Collections.synchronizedMap(new HashMap<>());
    int parts = 4;
    List<Future<?>> futures = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      int part = p;
      futures.add(threads.submit(() -> {
        for (int i = part; i < applied.size(); i += parts) {
          Call call = applied.get(i);
          try {
            Object again = call.resend(clean);
            answers.put(call, again);
            if (call.failure == null ? !Objects.equals(call.answer, again) : !Call.recordsItsKey(again)) {
              check.hard("a re-sent call that did not get its first answer", call + " re-sent: " + again);
            }
          } catch (RuntimeException e) {
            check.hard("a re-sent call that failed", call + " re-sent: " + e);
          }
        }
      }));
    }
    long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(CALL_BOUND_SECONDS + applied.size() / 100);
    for (Future<?> f : futures) {
      f.get(Math.max(1, bound - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    return answers;
  }

  /** Whether {@code e} is a store failure a caller may see under chaos: a transient fault, retry-safe. */
  private static boolean isStoreFailure(StoreException e) {
    return e.getClass() == StoreException.class || e instanceof StoreUnavailableException
        || e.getClass().getSimpleName().equals(OUTCOME_UNKNOWN);
  }

  /** The keys of the stored idempotency records, as {@code account|key}. */
  private static Set<String> recordKeys(Connection c) throws SQLException {
    Set<String> keys = new HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT account_id, idempotency_key FROM " + SCHEMA + ".creditgate_idempotency")) {
      while (rs.next()) {
        keys.add(rs.getString(1) + "|" + rs.getString(2));
      }
    }
    return keys;
  }

  /**
   * The ledger's entries by {@code account|key}, each as {its kind's index in {@link #KINDS}, its
   * amount in thousandths}; without the entries of opening a wallet, which carry no key.
   */
  private static Map<String, List<long[]>> ledgerByKey(Connection c) throws SQLException {
    Map<String, List<long[]>> byKey = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT account_id, idempotency_key, kind, amount FROM " + SCHEMA
            + ".creditgate_ledger WHERE idempotency_key <> '' ORDER BY id")) {
      while (rs.next()) {
        byKey.computeIfAbsent(rs.getString(1) + "|" + rs.getString(2), k -> new ArrayList<>())
            .add(new long[] {KINDS.indexOf(rs.getString(3)), rs.getLong(4)});
      }
    }
    return byKey;
  }

  private static final List<String> KINDS = List.of("GRANT", "DEBIT", "HOLD", "CAPTURE", "RELEASE", "EXPIRY",
      "REFUND", "ADJUSTMENT");

  private static long sum(List<long[]> entries, String kind) {
    return entries.stream().filter(e -> e[0] == KINDS.indexOf(kind)).mapToLong(e -> e[1]).sum();
  }

  private static long count(List<long[]> entries, String kind) {
    return entries.stream().filter(e -> e[0] == KINDS.indexOf(kind)).count();
  }

  private static String describe(List<long[]> entries) {
    return entries.stream().map(e -> (e[0] < 0 ? "?" : KINDS.get((int) e[0])) + " " + e[1])
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /** Every wallet row (version and state), and how many ledger entries and records there are. */
  private static String snapshot(Connection c) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT account_id, version, state FROM " + SCHEMA
          + ".creditgate_wallet ORDER BY account_id")) {
        while (rs.next()) {
          out.append(rs.getString(1)).append(" v").append(rs.getLong(2)).append(' ').append(rs.getString(3))
              .append('\n');
        }
      }
      for (String table : List.of("creditgate_ledger", "creditgate_idempotency")) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + SCHEMA + "." + table)) {
          rs.next();
          out.append(table).append(": ").append(rs.getLong(1)).append(" rows\n");
        }
      }
    }
    return out.toString();
  }

  /** What the run did and found, for the log and every failure. */
  private static String report(List<Call> calls, ChaosMonkey monkey, WireProxy proxy, List<ChaosPool> pools,
      Check check, long started, long serverReady, long chaosStart, long chaosEnd, long verified) {
    StringBuilder out = new StringBuilder("chaos run, seed " + SEED + " (-Dchaos.seed=" + SEED + "), "
        + CHAOS_SECONDS + " s of chaos\n");
    out.append(String.format("  times: server up %.1f s, chaos %.1f s (drain included), checks %.1f s, total %.1f s%n",
        seconds(serverReady - started), seconds(chaosEnd - chaosStart), seconds(verified - chaosEnd),
        seconds(verified - started)));
    Map<String, Integer> outcomes = new TreeMap<>();
    for (Call call : calls) {
      String outcome = call.failure != null ? call.failure.getClass().getSimpleName()
          : call.answer instanceof Decision d && !d.isAllowed() ? "denied" : "answered";
      outcomes.merge(call.kind + " " + outcome, 1, Integer::sum);
    }
    out.append("  calls: ").append(calls.size()).append(' ').append(outcomes).append('\n');
    Map<String, String> firstFailures = new TreeMap<>();
    for (Call call : calls) {
      if (call.failure != null) {
        firstFailures.putIfAbsent(call.failure.getClass().getSimpleName(), String.valueOf(call.failure.getMessage()));
      }
    }
    firstFailures.forEach((type, message) -> out.append("    first ").append(type).append(": ").append(message)
        .append('\n'));
    Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
    injected.putAll(monkey.injected());
    out.append("  faults injected: ").append(injected).append('\n');
    int tiny = pools.stream().mapToInt(p -> p.tinyTimeoutBorrows.get()).sum();
    int dropped = pools.stream().mapToInt(p -> p.dropped.get()).sum();
    out.append("  faults fired: commit replies swallowed ").append(proxy.commitRepliesSwallowed.get()).append(" of ")
        .append(proxy.commitReplies.get()).append(", resets before a statement ").append(proxy.resetBeforeStatement.get())
        .append(", after ").append(proxy.resetAfterStatement.get()).append(", backends terminated ")
        .append(monkey.terminated()).append(", borrows with a 1 ms statement_timeout ").append(tiny)
        .append(", server restarts ").append(injected.getOrDefault(Fault.SERVER_RESTART, 0)).append(" (")
        .append(monkey.restartMillis()).append(" ms), proxy connections ").append(proxy.accepted.get())
        .append(" (refused upstream ").append(proxy.upstreamRefused.get()).append("), pool connections dropped ")
        .append(dropped).append('\n');
    long attempts = calls.stream().mapToLong(c -> c.attempts).sum();
    long faulted = calls.stream().mapToLong(c -> c.faultedAttempts).sum();
    long lost = calls.stream().mapToLong(c -> c.lostRaces).sum();
    long replays = calls.stream().mapToLong(c -> c.replays).sum();
    long recovered = calls.stream().filter(c -> c.failure == null && c.faultedAttempts > 0).count();
    long replayedAnswers = calls.stream().filter(c -> c.failure == null && c.replays > 0).count();
    out.append("  retries seen: attempts ").append(attempts).append(", store faults retried or thrown ")
        .append(faulted).append(", lost races ").append(lost).append(", attempts that found their key's record ")
        .append(replays).append("; calls answered after a fault ").append(recovered)
        .append(", answered from their record (commit reply lost) ").append(replayedAnswers)
        .append("; failed calls retried after the chaos and answered ").append(check.retriedAfterChaos).append('\n');
    out.append("  events: ").append(check.outboxEvents).append(" recorded by commits, ").append(check.deliveries)
        .append(" deliveries (").append(check.relayed).append(" by the relay once the chaos was over)\n");
    long sawRecord = check.outcomes.stream().filter(c -> c.replays > 0).count();
    out.append("  applied calls whose caller got an exception saying nothing was written (strict ")
        .append(STRICT_OUTCOMES).append("): ").append(check.outcomes.size()).append(", of which ").append(sawRecord)
        .append(" had a later attempt find the key's record (its read-only COMMIT's reply lost too)\n");
    check.outcomes.stream().limit(5).forEach(c -> out.append("    ").append(c).append('\n'));
    return out.toString();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static String seeded(String message) {
    return message + "\n(seed " + SEED + ": repeat with -Dchaos.seed=" + SEED + ")";
  }

  private static String stacks() {
    StringBuilder out = new StringBuilder();
    Thread.getAllStackTraces().forEach((t, trace) -> {
      if (t.getName().startsWith("chaos-")) {
        out.append(t).append('\n');
        for (StackTraceElement e : trace) {
          out.append("    at ").append(e).append('\n');
        }
      }
    });
    return out.toString();
  }

  private static void closeAll(List<AutoCloseable> opened) throws Exception {
    Exception first = null;
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** The violations found, by what was violated; asserted at the end, all at once. */
  private static final class Check {
    private final Map<String, List<String>> hard = Collections.synchronizedMap(new LinkedHashMap<>());
    final List<Call> outcomes = Collections.synchronizedList(new ArrayList<>());
    int retriedAfterChaos;
    int outboxEvents;
    int deliveries;
    int relayed;

    void hard(String what, Object example) {
      hard.computeIfAbsent(what, k -> Collections.synchronizedList(new ArrayList<>())).add(String.valueOf(example));
    }

    void outcome(Call call) {
      outcomes.add(call);
    }

    void assertNone(String report) {
      StringBuilder out = new StringBuilder();
      hard.forEach((what, examples) -> {
        out.append(examples.size()).append(" x ").append(what).append(":\n");
        examples.stream().limit(5).forEach(e -> out.append("    ").append(e).append('\n'));
      });
      if (STRICT_OUTCOMES && !outcomes.isEmpty()) {
        out.append(outcomes.size()).append(" x an applied call whose caller got an exception that says nothing was "
            + "written, not ").append(OUTCOME_UNKNOWN).append('\n');
      }
      assertTrue(out.length() == 0, seeded(out + "\n" + report));
    }
  }
}
