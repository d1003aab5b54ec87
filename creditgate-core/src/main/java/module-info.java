/**
 * creditgate core: meters and gates what the customers of an AI app builder may do with their
 * credits.
 *
 * <p>{@code dev.creditgate} is the gate, its answers and the exceptions a caller catches;
 * {@code dev.creditgate.model} the values a caller passes and reads; {@code dev.creditgate.spi} the
 * storage and event ports for store and sink authors; {@code dev.creditgate.store.memory} the
 * in-memory store. Its only dependency is slf4j-api.
 */
module dev.creditgate {
  requires org.slf4j;

  exports dev.creditgate;
  exports dev.creditgate.model;
  exports dev.creditgate.spi;
  exports dev.creditgate.store.memory;
}
