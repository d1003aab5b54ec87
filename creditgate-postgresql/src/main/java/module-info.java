/**
 * creditgate on PostgreSQL: {@link dev.creditgate.postgresql.JdbcWalletStore}, a
 * {@code WalletStore} through JDBC. Its schema scripts live in {@code db/creditgate-postgresql/}, a
 * resource folder that is not a package, so migration tools on the module path read them without
 * any code package being opened.
 *
 * <p>Null-marked, like {@code dev.creditgate}; the JSpecify annotations are compile-only.
 */
@org.jspecify.annotations.NullMarked
module dev.creditgate.postgresql {
  requires transitive dev.creditgate;
  requires transitive java.sql;
  requires org.slf4j;
  requires static org.jspecify;

  exports dev.creditgate.postgresql;
}
