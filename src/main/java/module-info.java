/**
 * creditgate: meters and gates what the customers of an AI app builder may do with their credits.
 *
 * <p>{@code dev.creditgate} is the gate; {@code dev.creditgate.model} the pure domain;
 * {@code dev.creditgate.spi} the storage and event ports; {@code dev.creditgate.store.*} the
 * adapters.
 */
module dev.creditgate {
  requires org.slf4j;
  requires transitive java.sql;

  exports dev.creditgate;
  exports dev.creditgate.model;
  exports dev.creditgate.spi;
  exports dev.creditgate.store.memory;
  exports dev.creditgate.store.jdbc;

  // Lets migration tools (Flyway, Liquibase) on the module path read the schema script.
  opens dev.creditgate.store.jdbc;
}
