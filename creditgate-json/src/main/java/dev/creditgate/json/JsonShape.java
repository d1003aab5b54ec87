package dev.creditgate.json;

import dev.creditgate.CreditOverflowException;
import dev.creditgate.InvalidRequestException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The one JSON shape of a creditgate type, as docs/json.md documents it and the golden files
 * {@code creditgate-golden/json/} of creditgate-testkit pin it: {@link #write} writes a value to a
 * {@link JsonWriter}, and a {@link Reading} reads one back from what is written to it. A JSON
 * library's adapter (creditgate-jackson, creditgate-jackson2) bridges its own streaming API to
 * these two, so every adapter writes the same bytes and refuses the same values.
 *
 * <p>{@link #all()} lists every shape: one per type, and one per kind of a closed set
 * ({@code Decision.Allowed}, {@code WalletEvent.MemberAdded}, ...) by its own class, which writes
 * the set's shape and reads only its own kind. Immutable and thread-safe.
 *
 * @param <T> the type
 */
public final class JsonShape<T> {
  private final Class<T> type;
  private final Function<? super T, @Nullable Object> writer;
  private final Function<Node, ? extends T> reader;

  private JsonShape(Class<T> type, Function<? super T, @Nullable Object> writer, Function<Node, ? extends T> reader) {
    this.type = type;
    this.writer = writer;
    this.reader = reader;
  }

  /**
   * A shape from a writer to a JSON tree (an ordered {@code Map<String, Object>} for an object, a
   * {@code List} for an array, a {@code String}, a {@code Long} or {@code Integer}, a
   * {@code Boolean} or null) and a reader back from the {@link Node} of such a tree.
   */
  static <T> JsonShape<T> shape(Class<T> type, Function<? super T, @Nullable Object> writer,
      Function<Node, ? extends T> reader) {
    return new JsonShape<>(type, writer, reader);
  }

  /**
   * Every shape, each type's once: what an adapter registers.
   *
   * @return the shapes, an immutable list
   */
  public static List<JsonShape<?>> all() {
    return Shapes.ALL;
  }

  /**
   * The shape of exactly {@code type} (not of a subtype or supertype).
   *
   * @param <T> the type
   * @param type a creditgate type, such as {@code Decision.class} or {@code Credits.class}
   * @return its shape, or empty if the type has none (configuration and the store SPI have none)
   */
  @SuppressWarnings("unchecked") // all() holds one shape per type, each of its own type
  public static <T> Optional<JsonShape<T>> of(Class<T> type) {
    for (JsonShape<?> shape : Shapes.ALL) {
      if (shape.type == type) {
        return Optional.of((JsonShape<T>) shape);
      }
    }
    return Optional.empty();
  }

  /**
   * The type this shape writes and reads.
   *
   * @return the type
   */
  public Class<T> type() {
    return type;
  }

  /**
   * Writes {@code value} to {@code out} as one JSON value: its fields always all there, in their
   * documented order.
   *
   * @param value the value
   * @param out where the JSON goes
   */
  public void write(T value, JsonWriter out) {
    emit(writer.apply(value), out);
  }

  /**
   * A reading of one value: write the JSON read to it, then take {@link Reading#value()}.
   *
   * @return a new reading, for one value
   */
  public Reading<T> reading() {
    return new Reading<>(this);
  }

  /** The shape's name, for messages: {@code JsonShape[Decision.Allowed]}. */
  @Override
  public String toString() {
    Class<?> outer = type.getEnclosingClass();
    return "JsonShape[" + (outer == null ? "" : outer.getSimpleName() + ".") + type.getSimpleName() + "]";
  }

  /** The JSON tree of {@code value}. */
  @Nullable Object tree(T value) {
    return writer.apply(value);
  }

  /** Reads the value at {@code node}; what core refuses becomes a {@link JsonShapeException} naming where. */
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
  <S extends T> JsonShape<S> kind(Class<S> kind, String discriminator, String name) {
    return new JsonShape<>(kind, writer::apply, node -> {
      String given = node.field(discriminator).string();
      if (!given.equals(name)) {
        throw node.field(discriminator).refused("expected \"" + name + "\" for " + kind.getSimpleName()
            + " but was \"" + given + "\"", given);
      }
      return kind.cast(read(node));
    });
  }

  private static void emit(@Nullable Object tree, JsonWriter out) {
    if (tree == null) {
      out.nullValue();
    } else if (tree instanceof String s) {
      out.string(s);
    } else if (tree instanceof Long || tree instanceof Integer) {
      out.number(((Number) tree).longValue());
    } else if (tree instanceof Boolean b) {
      out.bool(b);
    } else if (tree instanceof Map<?, ?> map) {
      out.startObject();
      for (Map.Entry<?, ?> field : map.entrySet()) {
        out.name((String) field.getKey());
        emit(field.getValue(), out);
      }
      out.endObject();
    } else if (tree instanceof List<?> list) {
      out.startArray();
      for (Object element : list) {
        emit(element, out);
      }
      out.endArray();
    } else {
      throw new IllegalStateException("not a JSON tree: " + tree.getClass());
    }
  }

  /**
   * One value of a {@link JsonShape} being read: an adapter writes the JSON it parses to it, as
   * {@link JsonWriter} calls (an object's fields in any order), then takes {@link #value()}.
   * Numbers come as the parser read them: a whole number as {@link #number(long)}, or as
   * {@link #number(BigInteger)} if it does not fit a {@code long}; any other as
   * {@link #number(BigDecimal)}.
   *
   * <p>Reading is strict: {@link #value()} refuses with a {@link JsonShapeException} a value of
   * the wrong JSON type, a missing field, an unknown discriminator or constant, credits with more
   * than three decimals and any value core refuses; {@link #name} refuses a field given twice.
   * Fields the shape does not know are ignored. Calls out of order (a name outside an object, an
   * end without its start, a second value) are the adapter's mistake and throw
   * {@link IllegalStateException}. Not thread-safe; for one value.
   *
   * @param <T> the type read
   */
  public static final class Reading<T> implements JsonWriter {
    private final JsonShape<T> shape;
    private final Deque<Open> open = new ArrayDeque<>();
    private @Nullable Object tree;
    private boolean started;
    private boolean complete;

    private Reading(JsonShape<T> shape) {
      this.shape = shape;
    }

    /** An object or array being read, with its path from the root. */
    private static final class Open {
      final @Nullable Map<String, @Nullable Object> object;
      final @Nullable List<@Nullable Object> array;
      final String path;
      @Nullable String name;

      Open(@Nullable Map<String, @Nullable Object> object, @Nullable List<@Nullable Object> array, String path) {
        this.object = object;
        this.array = array;
        this.path = path;
      }
    }

    /**
     * The value read, once the whole of it was written.
     *
     * @return the value, equal to the one its JSON was written from
     * @throws JsonShapeException if the JSON is not the shape's, naming where and the value
     * @throws IllegalStateException if no whole value was written yet
     */
    public T value() {
      if (!complete) {
        throw new IllegalStateException(shape + ": no whole JSON value was written yet");
      }
      return shape.read(Node.root(tree));
    }

    /** {@inheritDoc} */
    @Override
    public void startObject() {
      Map<String, @Nullable Object> object = new LinkedHashMap<>();
      open.push(new Open(object, null, place(object)));
    }

    /**
     * {@inheritDoc}
     *
     * @throws JsonShapeException if the object already has the field
     */
    @Override
    public void name(String name) {
      Open top = open.peek();
      if (top == null || top.object == null || top.name != null) {
        throw new IllegalStateException(shape + ": a field name where no name belongs: " + name);
      }
      if (top.object.containsKey(name)) {
        throw new JsonShapeException(join(top.path, name) + ": the field appears twice", name);
      }
      top.name = name;
    }

    /** {@inheritDoc} */
    @Override
    public void endObject() {
      Open top = open.peek();
      if (top == null || top.object == null || top.name != null) {
        throw new IllegalStateException(shape + ": the end of an object where none ends");
      }
      close();
    }

    /** {@inheritDoc} */
    @Override
    public void startArray() {
      List<@Nullable Object> array = new ArrayList<>();
      open.push(new Open(null, array, place(array)));
    }

    /** {@inheritDoc} */
    @Override
    public void endArray() {
      Open top = open.peek();
      if (top == null || top.array == null) {
        throw new IllegalStateException(shape + ": the end of an array where none ends");
      }
      close();
    }

    /** {@inheritDoc} */
    @Override
    public void string(String value) {
      scalar(value);
    }

    /** {@inheritDoc} */
    @Override
    public void number(long value) {
      scalar(value);
    }

    /** {@inheritDoc} */
    @Override
    public void number(BigInteger value) {
      scalar(value);
    }

    /** {@inheritDoc} */
    @Override
    public void number(BigDecimal value) {
      scalar(value);
    }

    /** {@inheritDoc} */
    @Override
    public void bool(boolean value) {
      scalar(value);
    }

    /** {@inheritDoc} */
    @Override
    public void nullValue() {
      scalar(null);
    }

    private void scalar(@Nullable Object value) {
      place(value);
      if (open.isEmpty()) {
        complete = true;
      }
    }

    /**
     * Puts a value where it belongs (the root, an array's next element, an object's named field)
     * and returns its path. An object or array is put there empty, and filled as it is read.
     */
    private String place(@Nullable Object value) {
      Open top = open.peek();
      if (top == null) {
        if (started) {
          throw new IllegalStateException(shape + ": a second JSON value after the first");
        }
        started = true;
        tree = value;
        return "";
      }
      if (top.array != null) {
        top.array.add(value);
        return top.path + "[" + (top.array.size() - 1) + "]";
      }
      String name = top.name;
      if (name == null || top.object == null) {
        throw new IllegalStateException(shape + ": a value in an object without its field name");
      }
      top.object.put(name, value);
      top.name = null;
      return join(top.path, name);
    }

    private void close() {
      open.pop();
      if (open.isEmpty()) {
        complete = true;
      }
    }

    private static String join(String path, String name) {
      return path.isEmpty() ? name : path + "." + name;
    }
  }
}
