package dev.creditgate.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.EventId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.spi.SchemaMismatchException;
import dev.creditgate.spi.StoreException;
import dev.creditgate.testkit.RecordingSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/**
 * The schema's versions as the tools apply them: Flyway and Liquibase bring an empty schema to
 * version 3 from the jar's scripts, {@code createSchema()} migrates a database of version 1, whose
 * wallets were written by the release before the outbox, in place, and Flyway takes a database of
 * version 2 to version 3 (its CHECK constraints dropped) keeping every row.
 */
class SchemaMigrationTest {
  private static final ZoneId ZONE = ZoneId.of("UTC");
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final AccountId MAYA = AccountId.of("maya");
  private static final AccountId NOAH = AccountId.of("noah");
  /** V1__creditgate.sql as released: Flyway refuses a database whose applied V1 has changed. */
  private static final String V1_SHA_256 = "ab34d375ed0a60cdadc858da3351dc5436e6b0dd437c8384d6f690c164a7fa8b";
  /** V2__creditgate_outbox.sql and V3__creditgate_no_checks.sql as released: likewise. */
  private static final String V2_SHA_256 = "e2633277d2a4a493ecf31b738f89d2c58237c32aa5fe9f3b5ad6c0142214fa63";
  private static final String V3_SHA_256 = "fdfbedabde0c84a3059aff4eaeec0d0744f85ce45413e848b9cc1e74a8ac1432";

  private final TestDatabase db = TestDatabase.get();

  @Test
  void theReleasedScriptsAreUnchangedByteForByte() throws IOException, NoSuchAlgorithmException {
    List<String> released = List.of(V1_SHA_256, V2_SHA_256, V3_SHA_256);
    for (int version = 1; version <= released.size(); version++) {
      try (InputStream in = getClass().getResourceAsStream("/" + JdbcWalletStore.SCHEMA_RESOURCES.get(version - 1))) {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
        assertEquals(released.get(version - 1), HexFormat.of().formatHex(digest), "V" + version);
      }
    }
  }

  @Test
  void flywayAppliesEveryVersionFromTheJarAndTheStoreWorksOnWhatItBuilt() throws SQLException {
    String schema = "creditgate_flyway";
    db.drop(schema);
    MigrateResult result = flyway(schema, null).migrate();

    assertEquals(List.of("1", "2", "3"), result.migrations.stream().map(m -> m.version).toList());
    assertEquals(List.of(), checkConstraints(schema));
    JdbcWalletStore store = TestDatabase.store(db.unpooled(), schema).build();
    store.verifySchema();
    assertAGateWorks(store);
    db.drop(schema);
  }

  /**
   * A database Flyway left at version 1 is refused, with a message that says how to get to
   * version 3; Flyway's next migrate applies V2 and V3, and the store then reads the old wallets.
   */
  @Test
  void aFlywayDatabaseAtVersionOneIsRefusedUntilFlywayAppliesTheRest() throws SQLException {
    String schema = "creditgate_flyway_v1";
    JdbcWalletStore store = flywayDatabaseWithWallets(schema, "1");

    SchemaMismatchException e = assertThrows(SchemaMismatchException.class, store::verifySchema);
    assertEquals(1, e.foundVersion());
    assertTrue(e.getMessage().contains("Flyway"), e.getMessage());

    MigrateResult result = flyway(schema, null).migrate();
    assertEquals(List.of("2", "3"), result.migrations.stream().map(m -> m.version).toList());
    store.verifySchema();
    assertEquals(goldenV1Wallets().get(MAYA), store.load(MAYA).orElseThrow().state().encoded());
    db.drop(schema);
  }

  @Test
  void liquibaseAppliesTheChangelogAndTheStoreWorksOnWhatItBuilt() throws Exception {
    String schema = "creditgate_liquibase";
    db.drop(schema);
    db.execute("CREATE SCHEMA " + schema);

    liquibaseUpdate(schema);
    // Its change sets are recorded as run: a second update changes nothing.
    liquibaseUpdate(schema);

    assertEquals(List.of("creditgate-v1", "creditgate-v2", "creditgate-v3"), strings(
        "SELECT id FROM " + schema + ".databasechangelog ORDER BY orderexecuted"));
    assertEquals(List.of("1", "2", "3"), strings("SELECT version::text FROM " + schema
        + ".creditgate_schema_version ORDER BY version"));
    JdbcWalletStore store = TestDatabase.store(db.unpooled(), schema).build();
    store.verifySchema();
    assertAGateWorks(store);
    db.drop(schema);
  }

  /**
   * A database at version 1 (as the release before the outbox made it) with wallets in the w1
   * format: the store refuses it, on first use too, naming the script to apply; createSchema()
   * migrates it in place; then the old wallets read back verbatim, a gate charges and tops them up,
   * and their first events are numbered 1, 2, 3 ... and reach the sink.
   */
  @Test
  void aVersionOneDatabaseWithOldWalletsIsMigratedInPlaceByCreateSchema() throws SQLException {
    String schema = "creditgate_v1_wallets";
    db.drop(schema);
    createVersionOne(schema);
    insertV1Wallets(schema);
    JdbcWalletStore store = TestDatabase.store(db.unpooled(), schema).build();

    SchemaMismatchException e = assertThrows(SchemaMismatchException.class, store::verifySchema);
    assertEquals(JdbcWalletStore.SCHEMA_VERSION, e.expectedVersion());
    assertEquals(1, e.foundVersion());
    assertFalse(e.isRetrySafe());
    for (String advice : List.of(JdbcWalletStore.SCHEMA_RESOURCE, "createSchema()", "Flyway", "Liquibase",
        JdbcWalletStore.LIQUIBASE_CHANGELOG)) {
      assertTrue(e.getMessage().contains(advice), advice + " in: " + e.getMessage());
    }
    assertThrows(SchemaMismatchException.class, () -> store.load(MAYA), "first use checks too");

    store.createSchema();

    store.verifySchema();
    assertEquals(List.of("1", "2", "3"), strings("SELECT version::text FROM " + schema
        + ".creditgate_schema_version ORDER BY version"));
    Map<AccountId, String> golden = goldenV1Wallets();
    for (AccountId account : List.of(MAYA, NOAH)) {
      assertEquals(golden.get(account), store.load(account).orElseThrow().state().encoded(), "kept verbatim");
      assertEquals(1, store.load(account).orElseThrow().version());
    }
    RecordingSink sink = new RecordingSink();
    CreditGate gate = CreditGate.builder(store).eventSink(sink).build();
    Credits before = gate.status(MAYA, T0).available();
    Decision charged = gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0);
    assertTrue(charged.isAllowed());
    assertEquals(before.minus(Credits.of(2)), charged.balanceAfter());
    gate.topUp(MAYA, "small", IdempotencyKey.of("pay-1"), T0);
    gate.topUp(MAYA, "small", IdempotencyKey.of("pay-2"), T0);
    gate.topUp(NOAH, "small", IdempotencyKey.of("pay-1"), T0);

    for (AccountId account : List.of(MAYA, NOAH)) {
      List<Long> stored = longs("SELECT sequence FROM " + schema + ".creditgate_event WHERE account_id = '"
          + account.value() + "' ORDER BY sequence");
      assertFalse(stored.isEmpty(), account + " recorded events");
      assertEquals(LongStream.rangeClosed(1, stored.size()).boxed().toList(), stored, "numbered from 1, no gap");
      List<EventId> published = sink.ids().stream().filter(id -> id.account().equals(account)).toList();
      assertEquals(stored.stream().map(s -> new EventId(account, s)).toList(), published, "delivered in order");
    }
    assertEquals(0L, longs("SELECT count(*) FROM " + schema + ".creditgate_event WHERE delivered_at IS NULL")
        .get(0), "all delivered right after their commits");
    // A second createSchema() finds version 3 and changes nothing.
    store.createSchema();
    assertEquals(golden.size(), longs("SELECT count(*) FROM " + schema + ".creditgate_wallet").get(0));
    db.drop(schema);
  }

  /**
   * A database Flyway left at version 2, with wallets in it, has the CHECK constraints of versions
   * 1 and 2 (one per column they check); Flyway's next migrate applies V3 alone, which drops every
   * one of them and keeps every row; the store then reads the wallets verbatim and charges them.
   */
  @Test
  void aFlywayDatabaseAtVersionTwoTakesVersionThreeWhichDropsItsChecksAndKeepsItsRows() throws SQLException {
    String schema = "creditgate_flyway_v2";
    JdbcWalletStore store = flywayDatabaseWithWallets(schema, "2");
    assertEquals(List.of("creditgate_event.creditgate_event_sequence_check",
        "creditgate_idempotency.creditgate_idempotency_at_nanos_check",
        "creditgate_ledger.creditgate_ledger_at_nanos_check",
        "creditgate_wallet.creditgate_wallet_next_hold_expiry_nanos_check",
        "creditgate_wallet.creditgate_wallet_version_check"), checkConstraints(schema));
    assertEquals(2, assertThrows(SchemaMismatchException.class, store::verifySchema).foundVersion());

    MigrateResult result = flyway(schema, null).migrate();

    assertEquals(List.of("3"), result.migrations.stream().map(m -> m.version).toList());
    assertEquals(List.of(), checkConstraints(schema));
    store.verifySchema();
    Map<AccountId, String> golden = goldenV1Wallets();
    for (AccountId account : List.of(MAYA, NOAH)) {
      assertEquals(golden.get(account), store.load(account).orElseThrow().state().encoded(), "kept verbatim");
    }
    CreditGate gate = CreditGate.builder(store).build();
    Credits before = gate.status(MAYA, T0).available();
    assertEquals(before.minus(Credits.of(2)),
        gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0).balanceAfter());
    db.drop(schema);
  }

  /**
   * A migration that would wait for a table's lock behind a transaction still using it (a long
   * ledger read, here) gives up after its lock time-out rather than hold up the calls queued behind
   * it: a retry-safe failure, the tables left at version 2; once that transaction ends, it runs.
   */
  @Test
  void aMigrationWaitingBehindALongTransactionGivesUpChangingNothingAndRunsOnceItEnds() throws SQLException {
    String schema = "creditgate_busy_v2";
    JdbcWalletStore store = flywayDatabaseWithWallets(schema, "2");
    try (Connection reader = db.unpooled().getConnection(); Statement s = reader.createStatement()) {
      reader.setAutoCommit(false);
      s.executeQuery("SELECT count(*) FROM " + schema + ".creditgate_ledger").close();

      long started = System.nanoTime();
      // Bounded, so that a migration that waits for the reader fails this test instead of hanging it.
      StoreException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
          () -> assertThrows(StoreException.class, store::createSchema));
      long waitedMillis = (System.nanoTime() - started) / 1_000_000;

      assertTrue(e.isRetrySafe(), e.getMessage());
      assertTrue(e.getMessage().contains("55P03"), e.getMessage());
      assertTrue(waitedMillis >= 4_000 && waitedMillis < 10_000,
          "waited for its lock time-out of 5 s, once: " + waitedMillis + " ms");
      assertEquals(List.of("1", "2"), strings("SELECT version::text FROM " + schema
          + ".creditgate_schema_version ORDER BY version"));
      assertEquals(5, checkConstraints(schema).size(), "nothing dropped");
      reader.commit();
    }

    store.createSchema();

    assertEquals(List.of(), checkConstraints(schema));
    store.verifySchema();
    db.drop(schema);
  }

  /**
   * A new {@code schema} Flyway brought to {@code version}, holding Maya's and Noah's golden
   * wallets, and a store on it.
   */
  private JdbcWalletStore flywayDatabaseWithWallets(String schema, String version) throws SQLException {
    db.drop(schema);
    flyway(schema, version).migrate();
    insertV1Wallets(schema);
    return TestDatabase.store(db.unpooled(), schema).build();
  }

  /** The CHECK constraints of the tables in {@code schema}, as table.constraint, in order. */
  private List<String> checkConstraints(String schema) throws SQLException {
    return strings("SELECT t.relname || '.' || c.conname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
        + " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE c.contype = 'c' AND n.nspname = '" + schema + "'"
        + " ORDER BY 1");
  }

  private void assertAGateWorks(JdbcWalletStore store) {
    RecordingSink sink = new RecordingSink();
    CreditGate gate = CreditGate.builder(store).eventSink(sink).build();
    gate.openWallet(MAYA, ZONE, T0);
    gate.topUp(MAYA, "small", IdempotencyKey.of("pay-1"), T0);
    assertTrue(gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0).isAllowed());
    assertEquals(Credits.of(128), gate.status(MAYA, T0).available());
    assertFalse(sink.ids().isEmpty(), "the top-up's events went through the outbox to the sink");
    assertEquals(0, gate.deliverPendingEvents(100), "nothing left undelivered");
  }

  private Flyway flyway(String schema, String target) {
    var config = Flyway.configure()
        .dataSource(db.unpooled())
        .schemas(schema)
        .locations("classpath:" + JdbcWalletStore.SCHEMA_LOCATION)
        .table("creditgate_flyway_history");
    if (target != null) {
      config = config.target(target);
    }
    return config.load();
  }

  private void liquibaseUpdate(String schema) throws Exception {
    try (Connection c = db.unpooled().getConnection()) {
      try (Statement s = c.createStatement()) {
        s.execute("SET search_path TO " + schema);
      }
      Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
      database.setDefaultSchemaName(schema);
      new CommandScope(UpdateCommandStep.COMMAND_NAME)
          .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
          .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, JdbcWalletStore.LIQUIBASE_CHANGELOG)
          .execute();
    }
  }

  /** The tables as the release before the outbox created them: V1__creditgate.sql alone. */
  private void createVersionOne(String schema) throws SQLException {
    db.execute("CREATE SCHEMA " + schema);
    try (Connection c = db.unpooled().getConnection(); Statement s = c.createStatement()) {
      s.execute("SET search_path TO " + schema);
      for (String statement : SchemaInstaller.statements(SchemaInstaller.script(1))) {
        s.execute(statement);
      }
    }
  }

  /** Maya's and Noah's wallets as the release before the outbox wrote them (format w1). */
  private void insertV1Wallets(String schema) throws SQLException {
    try (Connection c = db.unpooled().getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO "
        + schema + ".creditgate_wallet (account_id, version, state) VALUES (?, 1, ?)")) {
      for (Map.Entry<AccountId, String> wallet : goldenV1Wallets().entrySet()) {
        ps.setString(1, wallet.getKey().value());
        ps.setString(2, wallet.getValue());
        ps.executeUpdate();
      }
    }
  }

  /** The testkit's golden w1 wallets of Maya (opened on Free) and Noah (in debt). */
  private static Map<AccountId, String> goldenV1Wallets() {
    Map<AccountId, String> wallets = new LinkedHashMap<>();
    try (InputStream in = SchemaMigrationTest.class.getResourceAsStream("/creditgate-golden/wallets-v1.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("opened on Free\t")) {
          wallets.put(MAYA, line.substring(line.indexOf('\t') + 1));
        } else if (line.startsWith("in debt after an overdraft\t")) {
          wallets.put(NOAH, line.substring(line.indexOf('\t') + 1));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    assertEquals(2, wallets.size(), "golden wallets found");
    wallets.values().forEach(w -> assertTrue(w.startsWith("2:w1"), w));
    return wallets;
  }

  private List<String> strings(String sql) throws SQLException {
    List<String> found = new ArrayList<>();
    try (Connection c = db.unpooled().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        found.add(rs.getString(1));
      }
    }
    return found;
  }

  private List<Long> longs(String sql) throws SQLException {
    return strings(sql).stream().map(Long::valueOf).toList();
  }
}
