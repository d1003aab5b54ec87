-- creditgate schema, version 3: no CHECK constraints on the tables a commit writes (PostgreSQL 12
-- or later).
--
-- Apply it after V2__creditgate_outbox.sql: Flyway picks all three up from
-- classpath:db/creditgate-postgresql, Liquibase through creditgate.changelog.xml beside this file,
-- or let JdbcWalletStore.createSchema() run what is missing. It changes no column and rewrites no
-- table, and it is idempotent: running it twice changes nothing. Each ALTER TABLE takes its table's
-- exclusive lock, which it first waits for behind every transaction using the table, and keeps it
-- until the script's transaction commits; calls on that table queue meanwhile. The ledger, where
-- long reads happen (exports), comes first, so that behind one the script gives up (under
-- createSchema()'s lock time-out) before it holds any other table.
--
-- Why: PostgreSQL reads a table's CHECK constraints from their stored text and compiles them again
-- for every statement that writes a row, and a charge writes three tables in one statement. Those
-- four checks cost about a quarter of the server's time in a charge's write (measured: 68-75 us
-- with them, 49-51 us without). What they checked, the store guarantees when it writes, and it
-- checks what it reads: a version below 1, nanoseconds outside 0..999 or an event sequence below 1
-- read from a row fail the call with a StoreFaultException that names the value. (The hold
-- expiry's nanoseconds are never read: only the hold sweep's query compares them, and a wrong value
-- there moves when the sweep looks at a wallet by under a microsecond; the sweep decides on the
-- wallet itself.)

ALTER TABLE creditgate_ledger DROP CONSTRAINT IF EXISTS creditgate_ledger_at_nanos_check;
ALTER TABLE creditgate_idempotency DROP CONSTRAINT IF EXISTS creditgate_idempotency_at_nanos_check;
ALTER TABLE creditgate_event DROP CONSTRAINT IF EXISTS creditgate_event_sequence_check;
ALTER TABLE creditgate_wallet DROP CONSTRAINT IF EXISTS creditgate_wallet_version_check;
ALTER TABLE creditgate_wallet DROP CONSTRAINT IF EXISTS creditgate_wallet_next_hold_expiry_nanos_check;

INSERT INTO creditgate_schema_version (version, description)
  VALUES (3, 'no check constraints on the written tables')
  ON CONFLICT (version) DO NOTHING;
