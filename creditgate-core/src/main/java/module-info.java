/**
 * creditgate core: meters and gates what the customers of an AI app builder may do with their
 * credits.
 *
 * <p>{@code dev.creditgate} is the gate, its answers and the exceptions a caller catches;
 * {@code dev.creditgate.model} the values a caller passes and reads; {@code dev.creditgate.spi} the
 * storage and event ports for store and sink authors; {@code dev.creditgate.store.memory} the
 * in-memory store. Its only dependency is slf4j-api.
 *
 * <p>Null-marked: a type in these packages is not null unless it is annotated
 * {@code @Nullable}. The annotations (JSpecify) are compile-only; nothing needs them at run time.
 */
@org.jspecify.annotations.NullMarked
module dev.creditgate {
  requires org.slf4j;
  requires static org.jspecify;

  exports dev.creditgate;
  exports dev.creditgate.model;
  exports dev.creditgate.spi;
  exports dev.creditgate.store.memory;
}
