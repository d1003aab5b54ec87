/**
 * creditgate's JSON shapes with no JSON library: {@link dev.creditgate.json.JsonShape} for every
 * answer and value of {@code dev.creditgate}, which the Jackson modules (and any other adapter)
 * bridge to their library's streaming API.
 *
 * <p>Null-marked, like {@code dev.creditgate}; the JSpecify annotations are compile-only.
 */
@org.jspecify.annotations.NullMarked
module dev.creditgate.json {
  requires transitive dev.creditgate;
  requires static org.jspecify;

  exports dev.creditgate.json;
}
