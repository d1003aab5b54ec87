package dev.creditgate.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.spi.WalletStore;
import dev.creditgate.testkit.WalletStoreContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The whole store contract, under the wallet lock, with every statement the store sends recorded; after
 * each test, every statement on creditgate's tables must name exactly one account, but the three
 * scans of the background work (the hold sweep's, the relay's and its pruning). That is what lets
 * the tables be distributed by {@code account_id} (Citus) with each call routed to one shard: see
 * the README's "Beyond one PostgreSQL". {@link SingleAccountStatementsOptimisticTest} checks the
 * optimistic statements.
 */
class SingleAccountStatementsTest extends WalletStoreContract {
  private static final Pattern DATA_TABLE = Pattern.compile("creditgate_(wallet|ledger|idempotency|event)\\b");
  /** What comes right before a placeholder that stands for an account. */
  private static final Pattern BEFORE_ACCOUNT = Pattern.compile(
      "(account_id\\s*=\\s*|\\(account_id,[^)]*\\)\\s*VALUES\\s*\\(|hashtextextended\\()$");

  private static TestPool pool;
  private static StatementLog log;

  @BeforeAll
  static void startPool() {
    pool = TestDatabase.get().pool(10);
    log = new StatementLog(pool);
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @BeforeEach
  void emptyTablesAndLog() {
    TestDatabase.get().truncate(TestDatabase.SCHEMA);
    log.clear();
  }

  protected JdbcWalletStore.Locking locking() {
    return JdbcWalletStore.Locking.WALLET_LOCK;
  }

  @Override
  protected WalletStore store() {
    return TestDatabase.store(log, TestDatabase.SCHEMA).locking(locking()).build();
  }

  @AfterEach
  void everyStatementNamedOneAccount() {
    Statements sql = new Statements(TestDatabase.SCHEMA);
    Set<String> scans = Set.of(sql.expiredHolds, sql.pendingAccounts, sql.pruneDelivered);
    List<String> violations = new ArrayList<>();
    int checked = 0;
    for (StatementLog.Sent sent : log.sent()) {
      if (scans.contains(sent.sql()) || !DATA_TABLE.matcher(sent.sql()).find()) {
        continue;
      }
      checked++;
      Set<String> accounts = accounts(sent);
      if (accounts.size() != 1) {
        violations.add(accounts + " in " + sent.sql());
      }
    }
    assertEquals(List.of(), violations, "statements that do not name exactly one account");
    assertTrue(checked > 0 || log.sent().isEmpty(), "no statement on creditgate's tables was recorded");
  }

  /** The accounts a statement names: the values of the placeholders that stand for an account. */
  private static Set<String> accounts(StatementLog.Sent sent) {
    Set<String> accounts = new TreeSet<>();
    String text = sent.sql();
    int index = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) != '?') {
        continue;
      }
      index++;
      if (BEFORE_ACCOUNT.matcher(text.substring(Math.max(0, i - 200), i)).find()) {
        Object value = sent.parameters().get(index);
        accounts.add(String.valueOf(value));
      }
    }
    return accounts;
  }
}
