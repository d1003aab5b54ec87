package dev.creditgate.jackson;

import dev.creditgate.json.JsonShape;
import tools.jackson.core.Version;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.module.SimpleDeserializers;
import tools.jackson.databind.module.SimpleSerializers;

/**
 * The Jackson 3 module for creditgate's answers and values: each gets one JSON shape, written and
 * read back equal, whatever the mapper's settings. Register it, or let module discovery find it:
 *
 * <pre>{@code
 * JsonMapper mapper = JsonMapper.builder().findAndAddModules().build();   // or .addModule(new CreditGateModule())
 * String json = mapper.writeValueAsString(gate.check(maya, Operation.GENERATE_IMAGE, 1));
 * // {"decision":"allowed","operation":"generate-image","quantity":1,"cost":"2","balanceBefore":"30",...}
 * Decision decision = mapper.readValue(json, Decision.class);
 * }</pre>
 *
 * <p>The shapes are creditgate-json's {@code JsonShape}s, which this module bridges to Jackson's
 * streaming API (docs/json.md lists each, with an example; creditgate-testkit's golden files
 * {@code creditgate-golden/json/} pin them): {@code Decision} and {@code SeatDecision} with a
 * {@code "decision"} discriminator, {@code WalletEvent} with {@code "type"}; credits and money
 * amounts as exact decimal strings ({@code "0.3"}, {@code {"amount":"25.00","currency":"USD"}});
 * ids as plain strings, an {@code EventId} as {@code "maya#17"}; times as ISO-8601 instants;
 * constants by their Java names; an empty optional as {@code null}. Fields come in a fixed order.
 * Reading is strict: an unknown discriminator or constant, a missing field, a value of the wrong
 * JSON type, credits with more than three decimals, or any value core refuses fails with Jackson's
 * {@code InvalidFormatException}, which names the value and where it is. Fields it does not know
 * are ignored.
 *
 * <p>creditgate-jackson2's module writes and reads the same shapes with Jackson 2. Thread-safe;
 * registering it twice has no further effect.
 */
public final class CreditGateModule extends JacksonModule {

  /** The module; what module discovery ({@code META-INF/services}, or the JPMS provides clause) makes. */
  public CreditGateModule() {}

  /**
   * The module's name.
   *
   * @return {@code "creditgate"}
   */
  @Override
  public String getModuleName() {
    return "creditgate";
  }

  /**
   * The module's version.
   *
   * @return {@link Version#unknownVersion()}: the module follows creditgate's version, which its
   *     jar's manifest and POM carry
   */
  @Override
  public Version version() {
    return Version.unknownVersion();
  }

  /**
   * Adds a serializer and a deserializer for each creditgate type, and for each kind of its closed
   * sets by its own class.
   *
   * @param context the mapper being built
   */
  @Override
  public void setupModule(SetupContext context) {
    SimpleSerializers serializers = new SimpleSerializers();
    SimpleDeserializers deserializers = new SimpleDeserializers();
    for (JsonShape<?> shape : JsonShape.all()) {
      add(serializers, deserializers, shape);
    }
    context.addSerializers(serializers);
    context.addDeserializers(deserializers);
  }

  private static <T> void add(SimpleSerializers serializers, SimpleDeserializers deserializers,
      JsonShape<T> shape) {
    serializers.addSerializer(shape.type(), new ShapeSerializer<>(shape));
    deserializers.addDeserializer(shape.type(), new ShapeDeserializer<>(shape));
  }
}
