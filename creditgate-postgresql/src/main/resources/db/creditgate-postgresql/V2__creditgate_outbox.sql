-- creditgate schema, version 2: the outbox of events (PostgreSQL 12 or later).
--
-- Apply it after V1__creditgate.sql: Flyway picks both up from classpath:db/creditgate-postgresql,
-- Liquibase through creditgate.changelog.xml beside this file, or let JdbcWalletStore.createSchema()
-- run what is missing. It changes no table of version 1, and it is idempotent: running it twice
-- changes nothing.

-- Every event a commit caused, written in the same transaction as the wallet: the outbox. The
-- gate delivers an event right after its commit, or a later relay run does; delivered_at is set
-- then, and a delivered event is deleted once it is older than the store's retention. event is the
-- event as the library encoded it (a versioned text); sequence numbers an account's events 1, 2, 3
-- ... without a gap, in commit order.
CREATE TABLE IF NOT EXISTS creditgate_event (
  account_id   varchar(200) NOT NULL,
  sequence     bigint       NOT NULL CHECK (sequence >= 1),
  event        text         NOT NULL,
  recorded_at  timestamptz  NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  PRIMARY KEY (account_id, sequence)
);

-- The undelivered events only, by account and sequence: an account's delivery reads its events in
-- order from it, and the relay finds the accounts that have any by skipping through it from one
-- account to the next (a probe per account, however many events wait). It stays small: most events
-- are delivered right after their commit.
CREATE INDEX IF NOT EXISTS creditgate_event_undelivered
  ON creditgate_event (account_id, sequence) WHERE delivered_at IS NULL;

-- The delivered events by when they were delivered: what the relay prunes, oldest first.
CREATE INDEX IF NOT EXISTS creditgate_event_delivered
  ON creditgate_event (delivered_at) WHERE delivered_at IS NOT NULL;

INSERT INTO creditgate_schema_version (version, description)
  VALUES (2, 'outbox of events')
  ON CONFLICT (version) DO NOTHING;
