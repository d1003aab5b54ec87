package dev.creditgate.benchmarks;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.ZoneOffset;

/**
 * Heap per idle wallet: opens a million Free wallets in the in-memory store and divides the growth
 * of the used heap (after full collections) by their number. Not a JMH benchmark: it measures
 * retained memory, not time. Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.creditgate.benchmarks.IdleWalletHeap}.
 */
public final class IdleWalletHeap {
  public static void main(String[] args) {
    int wallets = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    InMemoryWalletStore store = InMemoryWalletStore.create();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId[] ids = new AccountId[wallets];
    for (int i = 0; i < wallets; i++) {
      ids[i] = AccountId.of("acct-" + i);
    }
    long before = usedAfterGc();
    for (int i = 0; i < wallets; i++) {
      gate.openWallet(ids[i], ZoneOffset.UTC, Fixtures.T0.plusSeconds(i % 86_400));
    }
    long after = usedAfterGc();
    System.out.printf("%d idle wallets: %.1f MB, %d bytes per wallet (ledger entry of the opening grant included)%n",
        wallets, (after - before) / 1e6, (after - before) / wallets);
    if (store.load(ids[wallets - 1]).isEmpty()) {
      throw new AssertionError("the last wallet is missing");
    }
  }

  private static long usedAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
