package dev.creditgate.jackson2;

import dev.creditgate.CreditOverflowException;
import dev.creditgate.InvalidRequestException;
import java.util.function.Function;

/**
 * The JSON shape of one type, with no Jackson in it: a writer from a value to its JSON tree (an
 * ordered {@code Map<String, Object>} for an object, a {@code List} for an array, a
 * {@code String}, a {@code Long}, a {@code Boolean} or null) and a reader back from the
 * {@link Node} of such a tree. What core refuses while reading ({@link InvalidRequestException},
 * {@link CreditOverflowException}) becomes a {@link ShapeException} naming where and what.
 *
 * @param <T> the type
 */
final class Shape<T> {
  private final Class<T> type;
  private final Function<? super T, Object> writer;
  private final Function<Node, ? extends T> reader;

  private Shape(Class<T> type, Function<? super T, Object> writer, Function<Node, ? extends T> reader) {
    this.type = type;
    this.writer = writer;
    this.reader = reader;
  }

  static <T> Shape<T> of(Class<T> type, Function<? super T, Object> writer, Function<Node, ? extends T> reader) {
    return new Shape<>(type, writer, reader);
  }

  Class<T> type() {
    return type;
  }

  Object write(T value) {
    return writer.apply(value);
  }

  T read(Node node) {
    try {
      return reader.apply(node);
    } catch (InvalidRequestException e) {
      throw node.refused(e.getMessage(), e.value().orElse(null));
    } catch (CreditOverflowException e) {
      throw node.refused(e.getMessage(), e.value());
    }
  }

  /**
   * The shape of one kind of a closed set, written as the whole set's shape: reading it refuses any
   * other kind, by its discriminator.
   *
   * @param kind the kind's class
   * @param discriminator the field that names the kind
   * @param name the kind's name in that field
   */
  <S extends T> Shape<S> kind(Class<S> kind, String discriminator, String name) {
    return new Shape<>(kind, writer::apply, node -> {
      String given = node.field(discriminator).string();
      if (!given.equals(name)) {
        throw node.field(discriminator).refused("expected \"" + name + "\" for " + kind.getSimpleName()
            + " but was \"" + given + "\"", given);
      }
      return kind.cast(read(node));
    });
  }
}
