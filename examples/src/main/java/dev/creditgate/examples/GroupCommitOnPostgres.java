package dev.creditgate.examples;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.LedgerReplay;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.postgresql.JdbcWalletStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * Group commit: a team of 16 members generating images at once on one shared wallet. The calls that
 * meet in the store are written in one transaction and one commit, each still decided on the
 * wallet as the calls before it left it. Runs standalone against an embedded PostgreSQL
 * ({@code mvn -q -f examples/pom.xml exec:java -Dexec.mainClass=dev.creditgate.examples.GroupCommitOnPostgres}).
 */
public final class GroupCommitOnPostgres {

  public static void main(String[] args) throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
      run(postgres.getPostgresDatabase(), System.out);
    }
  }

  static void run(DataSource dataSource, PrintStream out) throws Exception {
    JdbcWalletStore store = JdbcWalletStore.builder(dataSource)
        .groupCommit(Duration.ZERO)   // no wait: the calls that arrive while a batch is written are the next
        .build();
    store.createSchema();
    CreditGate gate = CreditGate.builder(store).build();

    AccountId team = AccountId.of("acme");
    Instant now = Instant.parse("2026-03-02T08:00:00Z");
    gate.openWallet(team, ZoneId.of("Europe/Paris"), now);               // Free: 30 credits
    gate.topUp(team, "small", IdempotencyKey.of("pay_1"), now);           // + 100 credits

    // 16 members, 5 images each, 2 credits an image: 160 credits asked of 130.
    ExecutorService members = Executors.newFixedThreadPool(16);
    List<Future<Integer>> allowed = new ArrayList<>();
    for (int m = 0; m < 16; m++) {
      int member = m;
      allowed.add(members.submit(() -> {
        int n = 0;
        for (int i = 0; i < 5; i++) {
          Decision d = gate.charge(team, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-" + member + "-" + i), now);
          n += d.isAllowed() ? 1 : 0;
        }
        return n;
      }));
    }
    int total = 0;
    for (Future<Integer> f : allowed) {
      total += f.get();
    }
    members.shutdown();

    out.println("80 images asked by 16 members at once: " + total + " allowed, "
        + gate.status(team, now).available() + " credits left");
    LedgerReplay replay = gate.replay(team);
    out.println("ledger: " + replay.entries() + " entries, consistent with the wallet: " + replay.isConsistent());
  }

  private GroupCommitOnPostgres() {}
}
