/**
 * creditgate's JSON shapes for Jackson 3: {@link dev.creditgate.jackson.CreditGateModule}, which a
 * mapper's module discovery finds through the provides clause (on the module path) or
 * {@code META-INF/services} (on the class path). The shapes are {@code dev.creditgate.json}'s.
 *
 * <p>Null-marked, like {@code dev.creditgate}; the JSpecify annotations are compile-only.
 */
@org.jspecify.annotations.NullMarked
module dev.creditgate.jackson {
  requires transitive dev.creditgate;
  requires dev.creditgate.json;
  requires transitive tools.jackson.databind;
  requires static org.jspecify;

  exports dev.creditgate.jackson;

  provides tools.jackson.databind.JacksonModule with dev.creditgate.jackson.CreditGateModule;
}
