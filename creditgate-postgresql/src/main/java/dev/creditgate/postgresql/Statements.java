package dev.creditgate.postgresql;

/** The store's SQL text, with table names qualified by the configured schema. */
final class Statements {
  final String versionTable;
  final String loadWallet;
  final String loadWithRecord;
  final String lockWithRecord;
  final String findRecord;
  final String insertWalletAndCommit;
  final String updateWalletAndCommit;
  final String insertWalletWithEventsAndCommit;
  final String updateWalletWithEventsAndCommit;
  final String updateWalletWithOneEntryAndCommit;
  final String lockAndReadRecords;
  final String batchWriteAndCommit;
  final String lockAndReadEvents;
  final String markAndReadEvents;
  final String markAndCommit;
  final String hasUndeliveredEvents;
  final String pendingAccounts;
  final String pruneDelivered;
  final String readLedger;
  final String expiredHolds;
  /** Takes the wallet lock of the account bound to its one parameter (what another attempt holds). */
  final String walletLock;
  private final String wallet;
  private final String events;

  /** The statements on the tables in {@code schema}, or in the search path's first schema if null. */
  Statements(String schema) {
    String prefix = schema == null ? "" : schema + ".";
    wallet = prefix + "creditgate_wallet";
    String ledger = prefix + "creditgate_ledger";
    String records = prefix + "creditgate_idempotency";
    events = prefix + "creditgate_event";
    versionTable = prefix + "creditgate_schema_version";
    loadWallet = "SELECT version, state FROM " + wallet + " WHERE account_id = ?";
    loadWithRecord = "SELECT w.version, w.state, r.request, r.result, r.at, r.at_nanos FROM " + wallet
        + " w LEFT JOIN " + records + " r ON r.account_id = w.account_id AND r.idempotency_key = ?"
        + " WHERE w.account_id = ?";
    // A wallet's lock: a transaction-scoped advisory lock keyed by a 64-bit hash of the account
    // seeded with the wallet table's oid (so every store on that table, however it names it, takes
    // the same key), taken in a statement of its own so that the read after it, in READ
    // COMMITTED, sees every commit made under the lock before. It writes nothing (a row lock,
    // SELECT ... FOR UPDATE, writes the row's page and a WAL record), and it is released by the
    // COMMIT or ROLLBACK, or when the session ends.
    walletLock = "SELECT pg_advisory_xact_lock(" + walletLockKey("?") + ")";
    lockWithRecord = walletLock + "; " + loadWithRecord;
    findRecord = "SELECT request, result, at, at_nanos FROM " + records
        + " WHERE account_id = ? AND idempotency_key = ?";
    // A commit is one statement, sent together with the COMMIT: one round trip. The ledger
    // entries and the records join the row the wallet's part returned: they are written only if
    // it matched (a version that moved, or a wallet that exists already, writes nothing), and
    // only after it locked the row. The entries come as one array per column and go in in array
    // order, so that the ids nextval() hands out keep the commit's order. A key that is stored
    // already violates the records' primary key and fails the whole statement (no ON CONFLICT:
    // the statement must write all or nothing, since the COMMIT follows it unconditionally).
    String writes = ", ledger_rows AS (INSERT INTO " + ledger
        + " (account_id, at, at_nanos, kind, grant_name, amount, operation, idempotency_key)"
        + " SELECT w.account_id, e.at, e.at_nanos, e.kind, e.grant_name, e.amount, e.operation, e.idempotency_key"
        + " FROM w, unnest(?::timestamptz[], ?::int4[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::text[])"
        + " WITH ORDINALITY AS e(at, at_nanos, kind, grant_name, amount, operation, idempotency_key, n)"
        + " ORDER BY e.n)"
        + ", record_rows AS (INSERT INTO " + records + " (account_id, idempotency_key, request, result, at, at_nanos)"
        + " SELECT w.account_id, r.idempotency_key, r.request, r.result, r.at, r.at_nanos"
        + " FROM w, unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::int4[])"
        + " AS r(idempotency_key, request, result, at, at_nanos))";
    // A commit that caused events writes them into the outbox in the same statement, again only if
    // the wallet's part matched. A commit without events (most charges) sends the statement without
    // this part: the hot path's text, plan and parameters stay as they were.
    String eventWrites = ", event_rows AS (INSERT INTO " + events + " (account_id, sequence, event)"
        + " SELECT w.account_id, v.sequence, v.event FROM w, unnest(?::int8[], ?::text[]) AS v(sequence, event))";
    String end = " SELECT count(*) FROM w; COMMIT";
    String insertWallet = "WITH w AS (INSERT INTO " + wallet
        + " (account_id, version, state, next_hold_expiry, next_hold_expiry_nanos) VALUES (?, 1, ?, ?, ?)"
        + " ON CONFLICT (account_id) DO NOTHING RETURNING account_id)";
    String updateWallet = "WITH w AS (UPDATE " + wallet + " SET version = ?, state = ?, next_hold_expiry = ?,"
        + " next_hold_expiry_nanos = ? WHERE account_id = ? AND version = ? RETURNING account_id)";
    // The hot path, a charge: one ledger entry, one record, no event. The same write with scalar
    // parameters instead of one-element arrays, which the client builds and the server parses
    // and unnests for nothing.
    String oneEntry = ", ledger_rows AS (INSERT INTO " + ledger
        + " (account_id, at, at_nanos, kind, grant_name, amount, operation, idempotency_key)"
        + " SELECT w.account_id, ?::timestamptz, ?::int4, ?::text, ?::text, ?::int8, ?::text, ?::text FROM w)"
        + ", record_rows AS (INSERT INTO " + records + " (account_id, idempotency_key, request, result, at, at_nanos)"
        + " SELECT w.account_id, ?::text, ?::text, ?::text, ?::timestamptz, ?::int4 FROM w)";
    updateWalletWithOneEntryAndCommit = updateWallet + oneEntry + end;
    insertWalletAndCommit = insertWallet + writes + end;

    // A group commit's two round trips. The first takes its wallets' locks in the order of their
    // keys (a subquery with an ORDER BY is never flattened, so the locks are taken as the sort
    // hands the keys out, and two batches cannot deadlock) and then, as statements of their own
    // that start once the locks are held, reads the wallets and the records of its keys. The second
    // writes every wallet the batch changed, each once at its last state, and, for each wallet
    // whose row matched its version, its entries (in the batch's order), records and events, then
    // names the wallets written; it travels with the COMMIT. So each wallet's part is all or
    // nothing by itself, as a single call's write is.
    // A batch waits at most a second for a wallet's lock (held by another instance's call, or by
    // a session someone left open): past it, its calls go alone, so that one locked wallet does
    // not hold up every call of the instance.
    // The records are read one key at a time through their primary key, whatever the table's
    // statistics say: a LATERAL subquery with a LIMIT is never flattened into a join, and the
    // transaction's enable_seqscan off leaves the index as the only way in. Planned on a small
    // table (a new database, the statistics of the last ANALYZE), the plain join hashes a
    // sequential scan of every record, and the session keeps that plan, prepared once, while the
    // table grows by a row a call: a batch's read then costs more with every call written.
    lockAndReadRecords = "SELECT set_config('lock_timeout', '" + GroupCommit.LOCK_TIMEOUT_MILLIS + "ms', true),"
        + " set_config('enable_seqscan', 'off', true); "
        + "SELECT pg_advisory_xact_lock(k) FROM (SELECT " + walletLockKey("a") + " AS k"
        + " FROM unnest(?::varchar[]) AS a ORDER BY 1) AS s; "
        + "SELECT account_id, version, state FROM " + wallet + " WHERE account_id = ANY (?::varchar[]); "
        + "SELECT k.account_id, k.idempotency_key, r.request, r.result, r.at, r.at_nanos"
        + " FROM unnest(?::varchar[], ?::varchar[]) AS k(account_id, idempotency_key)"
        + " CROSS JOIN LATERAL (SELECT request, result, at, at_nanos FROM " + records
        + " WHERE account_id = k.account_id AND idempotency_key = k.idempotency_key LIMIT 1) r";
    batchWriteAndCommit = "WITH w AS (UPDATE " + wallet + " t SET version = u.version, state = u.state,"
        + " next_hold_expiry = u.next_hold_expiry, next_hold_expiry_nanos = u.next_hold_expiry_nanos"
        + " FROM unnest(?::varchar[], ?::int8[], ?::int8[], ?::text[], ?::timestamptz[], ?::int4[])"
        + " AS u(account_id, expected, version, state, next_hold_expiry, next_hold_expiry_nanos)"
        + " WHERE t.account_id = u.account_id AND t.version = u.expected RETURNING t.account_id)"
        + ", ledger_rows AS (INSERT INTO " + ledger
        + " (account_id, at, at_nanos, kind, grant_name, amount, operation, idempotency_key)"
        + " SELECT e.account_id, e.at, e.at_nanos, e.kind, e.grant_name, e.amount, e.operation, e.idempotency_key"
        + " FROM unnest(?::varchar[], ?::timestamptz[], ?::int4[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::text[])"
        + " WITH ORDINALITY AS e(account_id, at, at_nanos, kind, grant_name, amount, operation, idempotency_key, n)"
        + " WHERE e.account_id IN (SELECT account_id FROM w) ORDER BY e.n)"
        + ", record_rows AS (INSERT INTO " + records + " (account_id, idempotency_key, request, result, at, at_nanos)"
        + " SELECT r.* FROM unnest(?::varchar[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::int4[])"
        + " AS r(account_id, idempotency_key, request, result, at, at_nanos)"
        + " WHERE r.account_id IN (SELECT account_id FROM w))"
        + ", event_rows AS (INSERT INTO " + events + " (account_id, sequence, event)"
        + " SELECT v.* FROM unnest(?::varchar[], ?::int8[], ?::text[]) AS v(account_id, sequence, event)"
        + " WHERE v.account_id IN (SELECT account_id FROM w))"
        + " SELECT account_id FROM w; COMMIT";
    updateWalletAndCommit = updateWallet + writes + end;
    insertWalletWithEventsAndCommit = insertWallet + writes + eventWrites + end;
    updateWalletWithEventsAndCommit = updateWallet + writes + eventWrites + end;

    // An account's delivery, in one transaction. Its first round trip: READ COMMITTED whatever the
    // pool set (so that each statement reads the latest commits, the other deliveries' marks among
    // them), the account's advisory lock without waiting, and, as a statement of its own that
    // starts after the lock is held, the first batch of undelivered events. The lock's key is a
    // 64-bit hash of the account seeded with the events table's oid.
    String readEvents = "SELECT sequence, event FROM " + events
        + " WHERE account_id = ? AND delivered_at IS NULL ORDER BY sequence LIMIT ?";
    lockAndReadEvents = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED;"
        + " SELECT pg_try_advisory_xact_lock(" + deliveryLockKey("?") + "); " + readEvents;
    String mark = "UPDATE " + events + " SET delivered_at = statement_timestamp()"
        + " WHERE account_id = ? AND sequence = ANY (?::int8[]) AND delivered_at IS NULL";
    markAndReadEvents = mark + "; " + readEvents;
    markAndCommit = mark + "; COMMIT";
    hasUndeliveredEvents = "SELECT EXISTS (SELECT 1 FROM " + events + " WHERE account_id = ? AND delivered_at IS NULL)";
    // The accounts with undelivered events, oldest first by the first event each has waiting: a
    // skip scan of the undelivered-events index (one probe per account, however many events wait
    // behind its first), then ordered, after the page before (by that event's time and account).
    pendingAccounts = "WITH RECURSIVE pending (account_id, recorded_at) AS ("
        + "(SELECT account_id, recorded_at FROM " + events + " WHERE delivered_at IS NULL"
        + " ORDER BY account_id, sequence LIMIT 1)"
        + " UNION ALL SELECT n.account_id, n.recorded_at FROM pending p CROSS JOIN LATERAL"
        + " (SELECT account_id, recorded_at FROM " + events + " WHERE delivered_at IS NULL"
        + " AND account_id > p.account_id ORDER BY account_id, sequence LIMIT 1) n)"
        + " SELECT account_id, recorded_at::text FROM pending WHERE (recorded_at, account_id) > (?::timestamptz, ?)"
        + " ORDER BY recorded_at, account_id LIMIT ?";
    // Delivered events past the retention, a bounded batch, oldest first; rows another instance is
    // deleting are skipped rather than waited for.
    pruneDelivered = "DELETE FROM " + events + " WHERE (account_id, sequence) IN (SELECT account_id, sequence FROM "
        + events + " WHERE delivered_at <= statement_timestamp() - ?::interval ORDER BY delivered_at LIMIT ?"
        + " FOR UPDATE SKIP LOCKED)";
    readLedger = "SELECT at, at_nanos, kind, grant_name, amount, operation, idempotency_key FROM " + ledger
        + " WHERE account_id = ? AND at >= ? AND at <= ? ORDER BY id";
    expiredHolds = "SELECT account_id FROM " + wallet + " WHERE next_hold_expiry <= ?"
        + " AND (next_hold_expiry < ? OR next_hold_expiry_nanos <= ?) ORDER BY next_hold_expiry LIMIT ?";
  }

  /** The key of the wallet lock of the account {@code account} (an SQL expression) names. */
  String walletLockKey(String account) {
    return lockKey(wallet, account);
  }

  /** The key of the event delivery's lock of the account {@code account} (an SQL expression) names. */
  String deliveryLockKey(String account) {
    return lockKey(events, account);
  }

  /** A 64-bit advisory lock key: the account's hash, seeded with the oid of {@code table}. */
  private static String lockKey(String table, String account) {
    return "hashtextextended(" + account + ", '" + table + "'::regclass::oid::int8)";
  }
}
