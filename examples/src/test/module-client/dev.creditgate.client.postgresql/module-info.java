/** A client on the module path that uses the PostgreSQL store: java.sql comes with it. */
module dev.creditgate.client.postgresql {
  requires dev.creditgate.postgresql;
}
