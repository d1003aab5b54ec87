package dev.creditgate.examples;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.LedgerReplay;
import dev.creditgate.TopUp;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.postgresql.JdbcWalletStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import javax.sql.DataSource;

/**
 * creditgate on PostgreSQL: two service instances share one database. Runs standalone: it starts
 * an embedded PostgreSQL in place of yours ({@code mvn -q -f examples/pom.xml exec:java
 * -Dexec.mainClass=dev.creditgate.examples.PostgresQuickStart}).
 */
public final class PostgresQuickStart {

  public static void main(String[] args) throws IOException {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
      run(postgres.getPostgresDatabase(), System.out);
    }
  }

  /** Everything a service does, given its DataSource (in production: a pool such as HikariCP). */
  static void run(DataSource dataSource, PrintStream out) {
    JdbcWalletStore store = JdbcWalletStore.builder(dataSource).build();
    store.createSchema();      // or apply db/creditgate-postgresql/ (V1, V2, V3) with Flyway or Liquibase
    store.verifySchema();      // fail fast at start-up if the tables are missing or of another version

    // Two instances of the service: each has its own gate (and, in production, its own pool).
    CreditGate instanceA = CreditGate.builder(store).build();
    // Calls on one wallet queue on its lock (a transaction-scoped advisory lock; WALLET_LOCK is the
    // default, written out here), and every write is conditional on the version read.
    CreditGate instanceB = CreditGate.builder(JdbcWalletStore.builder(dataSource)
        .locking(JdbcWalletStore.Locking.WALLET_LOCK)
        .build()).build();

    AccountId maya = AccountId.of("maya");
    Instant now = Instant.parse("2026-03-02T08:00:00Z");
    instanceA.openWallet(maya, ZoneId.of("Europe/Paris"), now);

    Decision image = instanceA.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), now);
    out.println("instance A charged " + image.cost() + ", " + image.balanceAfter() + " left");
    out.println("instance B sees " + instanceB.status(maya, now).available() + " available");

    // The payment provider sends its webhook twice, to different instances: granted once.
    TopUp first = instanceA.topUp(maya, "small", IdempotencyKey.of("pay_123"), now);
    TopUp again = instanceB.topUp(maya, "small", IdempotencyKey.of("pay_123"), now);
    out.println("webhook delivered twice, granted once: " + first.equals(again) + ", balance "
        + instanceB.status(maya, now).available());

    LedgerReplay replay = instanceB.replay(maya);
    out.println("ledger: " + replay.entries() + " entries, consistent with the wallet: " + replay.isConsistent());
  }

  private PostgresQuickStart() {}
}
