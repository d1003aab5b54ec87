package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Members of a team charge its wallet from several threads at once, in random interleavings. A
 * jqwik ActionChain is single-threaded, so the interleaving comes from real threads; jqwik draws
 * the caps, the wallet's credits and each thread's charges.
 */
class MemberCapProperties {
  private static final Instant T0 = Instant.parse("2026-04-10T09:00:00Z");
  private static final AccountId TEAM = AccountId.of("team");
  private static final int MEMBERS = 4;

  record Charge(int member, long tokens) {}

  @Provide
  Arbitrary<List<Charge>> charges() {
    return Combinators.combine(Arbitraries.integers().between(0, MEMBERS - 1),
        Arbitraries.longs().between(0, 120_000)).as(Charge::new).list().ofMinSize(1).ofMaxSize(60);
  }

  @Property(tries = 60)
  void noMemberSpendsBeyondTheirCap_andTheTeamNeverSpendsBeyondItsWallet(
      @ForAll @Size(MEMBERS) List<@IntRange(min = 0, max = 40) Integer> capsInCredits,
      @ForAll @IntRange(min = 0, max = 300) int walletSpentUpFront,
      @ForAll("charges") List<Charge> thread1,
      @ForAll("charges") List<Charge> thread2,
      @ForAll("charges") List<Charge> thread3) throws Exception {
    InMemoryWalletStore store = InMemoryWalletStore.create();
    CreditGate gate = CreditGate.builder(store).build();
    gate.openWallet(TEAM, ZoneOffset.UTC, T0);
    gate.changePlan(TEAM, "team", IdempotencyKey.of("upgrade"), T0); // 300 credits, 5 seats
    if (walletSpentUpFront > 0) {
      gate.adjust(TEAM, Credits.of(-walletSpentUpFront), "spent before", IdempotencyKey.of("pre"), T0);
    }
    Credits startBalance = gate.status(TEAM, T0).available();
    for (int m = 0; m < MEMBERS; m++) {
      gate.addMember(TEAM, member(m), IdempotencyKey.of("add-" + m), T0);
      gate.setMemberCap(TEAM, member(m), Optional.of(Credits.of(capsInCredits.get(m))),
          IdempotencyKey.of("cap-" + m), T0);
    }

    AtomicLong[] allowedByMember = new AtomicLong[MEMBERS];
    for (int m = 0; m < MEMBERS; m++) {
      allowedByMember[m] = new AtomicLong();
    }
    List<List<Charge>> threads = List.of(thread1, thread2, thread3);
    ExecutorService pool = Executors.newFixedThreadPool(threads.size());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads.size(); t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        start.await();
        int i = 0;
        for (Charge c : threads.get(thread)) {
          IdempotencyKey key = IdempotencyKey.of("t" + thread + "-" + (i++));
          Decision d = gate.charge(TEAM, member(c.member()), Operation.AI_CHAT_MESSAGE, c.tokens(), key, T0);
          if (d.isAllowed()) {
            allowedByMember[c.member()].addAndGet(d.cost().thousandths());
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    Wallet wallet = Wallet.of(store.load(TEAM).orElseThrow().state());
    long teamSpent = 0;
    for (int m = 0; m < MEMBERS; m++) {
      Member member = wallet.member(member(m));
      assertTrue(member.spent().compareTo(Credits.of(capsInCredits.get(m))) <= 0,
          () -> member + " spent beyond the cap");
      assertEquals(allowedByMember[m].get(), member.spent().thousandths(),
          "the member's spending is exactly what their allowed charges cost");
      teamSpent += member.spent().thousandths();
    }
    assertTrue(teamSpent <= startBalance.thousandths(), "the team spent more than its wallet held");
    assertEquals(startBalance.minus(Credits.ofThousandths(teamSpent)), wallet.available());
    assertTrue(wallet.available().compareTo(Credits.ZERO) >= 0);
    assertTrue(gate.replay(TEAM).isConsistent());
    assertTrue(wallet.invariantViolations().isEmpty(), () -> wallet.invariantViolations().toString());
  }

  private static AccountId member(int m) {
    return AccountId.of("member-" + m);
  }
}
