package dev.creditgate.json;

import dev.creditgate.model.Credits;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One value of a JSON tree being read, with its path from the root ({@code waysOut.renewal.credits},
 * {@code packLots[1].granted}) for the messages. Every read is strict: the JSON type must be the
 * documented one (credits are strings, counts are whole numbers), a field is required unless read
 * with {@link #optional}, and each refusal is a {@link JsonShapeException} naming the path and the
 * value. Fields a shape does not read are ignored, so a later release may add some.
 */
final class Node {
  private static final Object MISSING = new Object();
  /** A plain decimal with at most three decimals, as {@link Credits#toString()} writes it. */
  private static final Pattern CREDITS = Pattern.compile("-?[0-9]+(\\.[0-9]{1,3})?");
  private static final Pattern FINER_CREDITS = Pattern.compile("-?[0-9]+\\.[0-9]{4,}");
  private static final Pattern AMOUNT = Pattern.compile("[0-9]+(\\.[0-9]+)?");

  private final @Nullable Object value;
  private final String path;

  private Node(@Nullable Object value, String path) {
    this.value = value;
    this.path = path;
  }

  /**
   * The root of a tree as a {@link JsonShape.Reading} collects it: a {@code Map} for an object, a
   * {@code List} for an array, a {@code String}, a {@code Long}, {@code BigInteger} or
   * {@code BigDecimal}, a {@code Boolean}, or null.
   */
  static Node root(@Nullable Object tree) {
    return new Node(tree, "");
  }

  /** The field {@code name} of this object, present or not. */
  Node field(String name) {
    Map<?, ?> object = object();
    return new Node(object.containsKey(name) ? object.get(name) : MISSING,
        path.isEmpty() ? name : path + "." + name);
  }

  /** This value read as {@code shape}. */
  <T> T as(JsonShape<T> shape) {
    present();
    return shape.read(this);
  }

  /** This value read as {@code shape}, or empty if it is null or absent. */
  <T> Optional<T> optional(JsonShape<T> shape) {
    return value == null || value == MISSING ? Optional.empty() : Optional.of(shape.read(this));
  }

  String string() {
    if (value instanceof String s) {
      return s;
    }
    throw mismatch("a string");
  }

  boolean bool() {
    if (value instanceof Boolean b) {
      return b;
    }
    throw mismatch("true or false");
  }

  long integer() {
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof BigInteger) {
      throw refused("the whole number " + value + " is out of range", value);
    }
    throw mismatch("a whole number");
  }

  int smallInteger() {
    long n = integer();
    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      throw refused("the whole number " + n + " is out of range", value);
    }
    return (int) n;
  }

  /** Credits: a string holding a plain decimal with at most three decimals ({@code "-1.5"}). */
  Credits credits() {
    if (!(value instanceof String text)) {
      throw mismatch("credits as a string such as \"0.3\"");
    }
    if (FINER_CREDITS.matcher(text).matches()) {
      throw refused("credits \"" + text + "\" have more than three decimals (the credit unit is 0.001)", text);
    }
    if (!CREDITS.matcher(text).matches()) {
      throw refused("credits \"" + text + "\" are not a plain decimal number such as \"-1.5\"", text);
    }
    return Credits.parse(text);
  }

  /** A money amount: a string holding a plain decimal, not negative ({@code "25.00"}). */
  String amount() {
    String text = string();
    if (!AMOUNT.matcher(text).matches()) {
      throw refused("amount \"" + text + "\" is not a plain decimal number such as \"25.00\"", text);
    }
    return text;
  }

  /** An ISO-8601 instant in UTC ({@code "2026-03-01T00:00:00Z"}). */
  Instant instant() {
    String text = string();
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw refused("\"" + text + "\" is not an ISO-8601 instant such as \"2026-03-01T00:00:00Z\"", text);
    }
  }

  /** A constant of {@code type}, by its name. */
  <E extends Enum<E>> E constant(Class<E> type) {
    String text = string();
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(text)) {
        return constant;
      }
    }
    throw refused("unknown " + type.getSimpleName() + " \"" + text + "\": expected one of "
        + Arrays.toString(type.getEnumConstants()), text);
  }

  /** The name in {@code discriminator}, which must be one of {@code names}. */
  String kind(String discriminator, String what, List<String> names) {
    Node field = field(discriminator);
    String name = field.string();
    if (!names.contains(name)) {
      throw field.refused("unknown " + what + " \"" + name + "\": expected one of " + String.join(", ", names), name);
    }
    return name;
  }

  List<Node> elements() {
    if (!(value instanceof List<?> list)) {
      throw mismatch("an array");
    }
    List<Node> elements = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      elements.add(new Node(list.get(i), path + "[" + i + "]"));
    }
    return elements;
  }

  <T> List<T> list(JsonShape<T> shape) {
    List<T> values = new ArrayList<>();
    for (Node element : elements()) {
      values.add(element.as(shape));
    }
    return values;
  }

  /** The fields of this object in their order, each by its name. */
  /** This array read as {@code shape}'s, or an empty list if it is null or absent (a field added later). */
  <T> List<T> listOrEmpty(JsonShape<T> shape) {
    return value == null || value == MISSING ? List.of() : list(shape);
  }

  Map<String, Node> properties() {
    Map<String, Node> properties = new LinkedHashMap<>();
    for (Map.Entry<?, ?> field : object().entrySet()) {
      String name = (String) field.getKey();
      properties.put(name, new Node(field.getValue(), (path.isEmpty() ? "" : path + ".") + name));
    }
    return properties;
  }

  /** A refusal at this value. */
  JsonShapeException refused(String problem, @Nullable Object shown) {
    return new JsonShapeException((path.isEmpty() ? "" : path + ": ") + problem, shown);
  }

  private Map<?, ?> object() {
    if (value instanceof Map<?, ?> map) {
      return map;
    }
    throw mismatch("an object");
  }

  private void present() {
    if (value == null || value == MISSING) {
      throw mismatch("a value");
    }
  }

  private JsonShapeException mismatch(String expected) {
    if (value == MISSING) {
      return refused("missing, expected " + expected, null);
    }
    return refused("expected " + expected + " but was " + describe(value), scalar(value));
  }

  private static @Nullable Object scalar(@Nullable Object value) {
    return value instanceof Map || value instanceof List ? null : value;
  }

  private static String describe(@Nullable Object value) {
    if (value instanceof String s) {
      return "the string \"" + s + "\"";
    }
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof List) {
      return "an array";
    }
    if (value instanceof Number) {
      return "the number " + value;
    }
    return String.valueOf(value);
  }
}
