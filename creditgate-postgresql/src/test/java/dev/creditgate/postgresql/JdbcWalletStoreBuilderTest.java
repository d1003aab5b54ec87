package dev.creditgate.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every setting of the store's builder is checked when it is set, naming the value, so that no
 * statement can fail on a setting later.
 */
class JdbcWalletStoreBuilderTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private final TestDatabase db = TestDatabase.get();
  private final DataSource ds = db.unpooled();

  private JdbcWalletStore.Builder builder() {
    return JdbcWalletStore.builder(ds);
  }

  /** The rejection of {@code value} for {@code setting}: named as argument and value, and in the message. */
  private static InvalidRequestException assertRefused(String setting, String value, Runnable set) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, set::run);
    assertEquals(Optional.of(setting), e.argument(), e.getMessage());
    assertEquals(Optional.ofNullable(value), e.value(), e.getMessage());
    // The message shows the value as given, with control characters escaped.
    if (value != null && value.chars().noneMatch(Character::isISOControl)) {
      assertTrue(e.getMessage().contains(value), e.getMessage());
    }
    return e;
  }

  @ParameterizedTest(name = "schema ''{0}''")
  @ValueSource(strings = {"", "1billing", "9", "bil-ling", "bil ling", "billing;", "bil.ling", "\"billing\"",
      "billing\u0000", "b\u00e9", "\u0431\u0438\u043b", "billing\uD83D\uDE00", "$billing", "bil$ling"})
  void aSchemaNameThatIsNotALowerCaseIdentifierIsRefused(String name) {
    assertRefused("schema", name, () -> builder().schema(name));
  }

  @ParameterizedTest(name = "schema ''{0}''")
  @ValueSource(strings = {"Billing", "BILLING", "billingV2"})
  void aSchemaNameWithUpperCaseLettersIsRefusedSayingWhatPostgresWouldMakeOfIt(String name) {
    InvalidRequestException e = assertRefused("schema", name, () -> builder().schema(name));
    assertTrue(e.getMessage().contains("folds to lower case") && e.getMessage().contains("'" + name.toLowerCase() + "'"),
        e.getMessage());
  }

  @ParameterizedTest(name = "schema ''{0}''")
  @ValueSource(strings = {"user", "select", "table", "current_user", "authorization", "default", "order", "with"})
  void aReservedKeyWordIsRefused(String name) {
    InvalidRequestException e = assertRefused("schema", name, () -> builder().schema(name));
    assertTrue(e.getMessage().contains("reserved key word"), e.getMessage());
  }

  @ParameterizedTest(name = "schema ''{0}''")
  @ValueSource(strings = {"information_schema", "pg_catalog", "pg_toast", "pg_temp", "pg_billing", "pg_"})
  void aSystemSchemaOrANameReservedForThemIsRefused(String name) {
    assertRefused("schema", name, () -> builder().schema(name));
  }

  @Test
  void aSchemaNameLongerThan63BytesIsRefusedAnd63AreAccepted() {
    String longest = "b".repeat(63);
    String tooLong = "b".repeat(64);

    builder().schema(longest);
    InvalidRequestException e = assertRefused("schema", tooLong, () -> builder().schema(tooLong));
    assertTrue(e.getMessage().contains("64 bytes"), e.getMessage());
    assertRefused("schema", null, () -> builder().schema(null));
  }

  @ParameterizedTest(name = "schema ''{0}''")
  @ValueSource(strings = {"billing", "_billing", "billing_2", "b", "_", "public", "int", "values", "pgbilling"})
  void aLowerCaseIdentifierThatIsNotReservedIsAccepted(String name) {
    builder().schema(name);
  }

  /**
   * The store's list of reserved words is the server's: every key word PostgreSQL reserves, or
   * keeps for type and function names (categories R and T), is refused, and no other is.
   */
  @Test
  void theReservedWordsAreExactlyThoseTheServerReserves() throws SQLException {
    Set<String> reserved = new HashSet<>();
    Set<String> free = new HashSet<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT word, catcode FROM pg_get_keywords()")) {
      while (rs.next()) {
        (Set.of("R", "T").contains(rs.getString(2)) ? reserved : free).add(rs.getString(1));
      }
    }
    assertTrue(reserved.size() > 90 && free.size() > 300, reserved.size() + " / " + free.size());

    assertEquals(reserved, Failures.RESERVED_WORDS);
    for (String word : reserved) {
      assertRefused("schema", word, () -> builder().schema(word));
    }
    for (String word : free) {
      builder().schema(word);
    }
  }

  /** A schema named like a column-name key word works in every statement: create, write, read, sweep. */
  @Test
  void aSchemaNamedLikeANonReservedKeyWordWorksInEveryStatement() {
    for (String name : new String[] {"values", "national"}) {
      db.drop(name);
      JdbcWalletStore store = TestDatabase.store(ds, name).build();
      store.createSchema();
      store.verifySchema();
      CreditGate gate = CreditGate.builder(store).build();
      AccountId maya = AccountId.of("maya");
      gate.openWallet(maya, ZoneOffset.UTC, T0);
      assertTrue(gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0).isAllowed());
      assertEquals(Credits.of(28), gate.status(maya, T0).available());
      assertTrue(gate.reserve(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("hold-1"), T0).isAllowed());
      assertEquals(1, gate.expireHolds(T0.plus(Duration.ofHours(1))));
      assertEquals(Credits.of(28), gate.status(maya, T0.plus(Duration.ofHours(1))).available());
      assertTrue(gate.replay(maya).isConsistent());
      db.drop(name);
    }
  }

  @ParameterizedTest(name = "ledgerFetchSize {0}")
  @ValueSource(ints = {0, -1, 100_001, Integer.MIN_VALUE, Integer.MAX_VALUE})
  void aLedgerFetchSizeOutside1To100000IsRefused(int rows) {
    assertRefused("ledgerFetchSize", Integer.toString(rows), () -> builder().ledgerFetchSize(rows));
  }

  @ParameterizedTest(name = "deliveredEventRetention {0}")
  @ValueSource(strings = {"-PT0.001S", "-PT1S", "PT876024H0.000000001S", "PT2562047788015215H30M7S"})
  void aDeliveredEventRetentionBelowZeroOrBeyond36500DaysIsRefused(String text) {
    Duration retention = Duration.parse(text);
    assertRefused("deliveredEventRetention", retention.toString(), () -> builder().deliveredEventRetention(retention));
  }

  @Test
  void theEdgesOfEachRangeAreAccepted() {
    builder().ledgerFetchSize(1).ledgerFetchSize(100_000)
        .deliveredEventRetention(Duration.ZERO).deliveredEventRetention(Duration.ofDays(36_500)).build();
  }

  @Test
  void aNullSettingIsRefusedNamingIt() {
    assertRefused("dataSource", null, () -> JdbcWalletStore.builder(null));
    assertRefused("locking", null, () -> builder().locking(null));
    assertRefused("deliveredEventRetention", null, () -> builder().deliveredEventRetention(null));
    assertRefused("retryPolicy", null, () -> builder().retryPolicy(null));
  }

  @Test
  void aRefusedSettingLeavesTheBuilderAsItWas() {
    JdbcWalletStore.Builder builder = builder().locking(JdbcWalletStore.Locking.OPTIMISTIC);
    Supplier<JdbcWalletStore> build = builder::build;

    assertThrows(InvalidRequestException.class, () -> builder.locking(null));
    assertThrows(InvalidRequestException.class, () -> builder.schema("User"));

    assertEquals(JdbcWalletStore.Locking.OPTIMISTIC, build.get().locking());
    assertEquals(JdbcWalletStore.Locking.WALLET_LOCK, builder().build().locking(), "the default");
  }
}
