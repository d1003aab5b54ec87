/**
 * creditgate's JSON shapes for Jackson 2: {@link dev.creditgate.jackson2.CreditGateModule}, which a
 * mapper's module discovery finds through the provides clause (on the module path) or
 * {@code META-INF/services} (on the class path). The shapes are {@code dev.creditgate.json}'s.
 *
 * <p>Null-marked, like {@code dev.creditgate}; the JSpecify annotations are compile-only.
 */
// The name follows the artifact's and the package's; javac's lint dislikes its terminal digit.
@SuppressWarnings("module")
@org.jspecify.annotations.NullMarked
module dev.creditgate.jackson2 {
  requires transitive dev.creditgate;
  requires dev.creditgate.json;
  requires transitive com.fasterxml.jackson.databind;
  requires static org.jspecify;

  exports dev.creditgate.jackson2;

  provides com.fasterxml.jackson.databind.Module with dev.creditgate.jackson2.CreditGateModule;
}
