-- creditgate schema, version 1 (PostgreSQL 12 or later).
--
-- Apply it as a migration (Flyway picks it up by its name V1__creditgate.sql; Liquibase through a
-- <sqlFile path="dev/creditgate/store/jdbc/V1__creditgate.sql" splitStatements="true"/> change set),
-- with psql, or let JdbcWalletStore.createSchema() run it. The tables go into the first schema of
-- the search_path. The script is idempotent: running it twice changes nothing.
--
-- Instants are stored as a timestamptz truncated to the microsecond plus the nanoseconds below the
-- microsecond (0..999), so that every java.time.Instant reads back exactly.

CREATE TABLE IF NOT EXISTS creditgate_schema_version (
  version      integer     PRIMARY KEY,
  description  text        NOT NULL,
  installed_at timestamptz NOT NULL DEFAULT now()
);

-- One row per wallet. state is the whole immutable Wallet, encoded by the library (a versioned,
-- length-prefixed text); version grows by one with every commit and makes commits conditional.
CREATE TABLE IF NOT EXISTS creditgate_wallet (
  account_id             varchar(200) PRIMARY KEY,
  version                bigint       NOT NULL CHECK (version >= 1),
  state                  text         NOT NULL,
  next_hold_expiry       timestamptz,
  next_hold_expiry_nanos integer      NOT NULL DEFAULT 0 CHECK (next_hold_expiry_nanos BETWEEN 0 AND 999)
);

CREATE INDEX IF NOT EXISTS creditgate_wallet_next_hold_expiry
  ON creditgate_wallet (next_hold_expiry) WHERE next_hold_expiry IS NOT NULL;

-- The append-only ledger. id orders an account's entries in commit order: every insert happens
-- while its transaction holds the account's wallet row lock.
CREATE TABLE IF NOT EXISTS creditgate_ledger (
  id              bigserial    PRIMARY KEY,
  account_id      varchar(200) NOT NULL,
  at              timestamptz  NOT NULL,
  at_nanos        integer      NOT NULL CHECK (at_nanos BETWEEN 0 AND 999),
  kind            varchar(16)  NOT NULL,
  grant_name      text         NOT NULL,
  amount          bigint       NOT NULL, -- thousandths of a credit, signed
  operation       text         NOT NULL,
  idempotency_key text         NOT NULL
);

CREATE INDEX IF NOT EXISTS creditgate_ledger_account ON creditgate_ledger (account_id, id);

-- What the first successful call with each key asked and answered.
CREATE TABLE IF NOT EXISTS creditgate_idempotency (
  account_id      varchar(200) NOT NULL,
  idempotency_key varchar(200) NOT NULL,
  request         text         NOT NULL,
  result          text         NOT NULL,
  at              timestamptz  NOT NULL,
  at_nanos        integer      NOT NULL CHECK (at_nanos BETWEEN 0 AND 999),
  PRIMARY KEY (account_id, idempotency_key)
);

INSERT INTO creditgate_schema_version (version, description)
  VALUES (1, 'wallets, ledger, idempotency records')
  ON CONFLICT (version) DO NOTHING;
