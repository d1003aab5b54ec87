package dev.creditgate.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.Decision;
import dev.creditgate.WalletStatus;
import dev.creditgate.WaysOut;
import dev.creditgate.json.golden.GoldenJson;
import dev.creditgate.json.golden.JsonSamples;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Meter;
import dev.creditgate.spi.OutboxEvent;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The shapes themselves, with no JSON library: the golden files written byte for byte and read
 * back through {@link JsonText}, and a {@link JsonShape.Reading}'s rules.
 */
class JsonShapeTest {

  /** The shapes as GoldenJson sees them: through plain JSON text. */
  private static final GoldenJson.Codec TEXT = new GoldenJson.Codec() {
    @Override
    public String write(Object value) {
      return JsonText.write(shapeOf(value.getClass()), value);
    }

    @Override
    public Object read(String json, Class<?> type) {
      return JsonText.read(shapeOf(type), json);
    }

    @Override
    public Object refusedValue(Exception refusal) {
      return assertInstanceOf(JsonShapeException.class, refusal, "the shapes' refusal").value().orElse(null);
    }
  };

  private static JsonShape<?> shapeOf(Class<?> type) {
    return JsonShape.of(type).orElseThrow(() -> new AssertionError("no shape for " + type));
  }

  @TestFactory
  Stream<DynamicTest> everySampleHasItsLine() {
    return GoldenJson.everySampleHasItsLine();
  }

  @TestFactory
  Stream<DynamicTest> writesEveryGoldenLineByteForByte() {
    return GoldenJson.writesEveryLine(TEXT);
  }

  @TestFactory
  Stream<DynamicTest> readsEveryGoldenLineBackEqual() {
    return GoldenJson.readsEveryLineBack(TEXT);
  }

  @TestFactory
  Stream<DynamicTest> refusesEveryBadValueNamingIt() {
    return GoldenJson.refusesEveryBadLine(TEXT);
  }

  @Test
  void aLedgerExportLineIsTheEntryShape() throws Exception {
    GoldenJson.assertLedgerExportIsTheEntryShape(TEXT);
  }

  @Test
  void everyShapeIsTheOnlyOneOfItsTypeAndFoundByIt() {
    Set<Class<?>> types = new HashSet<>();
    for (JsonShape<?> shape : JsonShape.all()) {
      assertTrue(types.add(shape.type()), () -> "two shapes of " + shape.type());
      assertSame(shape, JsonShape.of(shape.type()).orElseThrow());
    }
    // docs/json.md's types: 49, with the 2 + 2 + 16 + 3 + 3 kinds of Decision, SeatDecision, WalletEvent,
    // Forecast and Advice
    assertEquals(75, types.size(), () -> "types: " + types);
  }

  @Test
  void configurationAndTheStoreSpiHaveNoShape() {
    assertTrue(JsonShape.of(CostTable.class).isEmpty());
    assertTrue(JsonShape.of(OutboxEvent.class).isEmpty());
    assertTrue(JsonShape.of(Object.class).isEmpty());
  }

  /** No shape goes unpinned: each has a golden line whose sample is of exactly its type, or of a kind of its set. */
  @Test
  void everyShapeHasAGoldenLine() {
    List<Object> samples = GoldenJson.FILES.stream().flatMap(file -> JsonSamples.of(file).values().stream())
        .collect(Collectors.toList());
    for (JsonShape<?> shape : JsonShape.all()) {
      assertTrue(samples.stream().anyMatch(s -> s.getClass() == shape.type()
              || (shape.type().isInterface() && shape.type().isInstance(s))),
          () -> shape + " has no golden line");
    }
  }

  @Test
  void fieldsReadInAnyOrderAndUnknownOnesAreIgnored() {
    String json = "{\"meter\":\"OK\",\"later\":{\"added\":[1,2.5,true,null]},\"balanceAfter\":\"29.72\","
        + "\"balanceBefore\":\"30\",\"cost\":\"0.28\",\"quantity\":1800,\"operation\":\"ai-chat-message\","
        + "\"decision\":\"allowed\"}";

    Decision read = JsonText.read(JsonShape.of(Decision.class).orElseThrow(), json);

    assertEquals(JsonSamples.of("decisions-v1.txt").get("allowed"), read);
  }

  @Test
  void aRefusalInsideAnArrayNamesTheElement() {
    WalletStatus wallet = (WalletStatus) JsonSamples.of("wallets-v1.txt").get("wallet, several pack lots");
    JsonShape<WalletStatus> shape = JsonShape.of(WalletStatus.class).orElseThrow();
    String json = JsonText.write(shape, wallet).replace("\"granted\":\"250\"", "\"granted\":\"250.0001\"");

    JsonShapeException refusal = assertThrows(JsonShapeException.class, () -> JsonText.read(shape, json));

    assertEquals("250.0001", refusal.value().orElseThrow());
    assertTrue(refusal.getMessage().startsWith("packLots[1].granted: credits \"250.0001\""), refusal.getMessage());
  }

  @Test
  void aFieldTwiceDeepInsideIsNamedWithItsPath() {
    String json = "{\"topUp\":{\"smallestPack\":null,\"customPrice\":null},\"upgrade\":null,"
        + "\"renewal\":{\"renewsAt\":\"2026-04-01T00:00:00Z\",\"plan\":\"free\",\"plan\":\"pro\",\"credits\":\"30\"}}";

    JsonShapeException refusal = assertThrows(JsonShapeException.class,
        () -> JsonText.read(JsonShape.of(WaysOut.class).orElseThrow(), json));

    assertEquals("renewal.plan: the field appears twice", refusal.getMessage());
    assertEquals("plan", refusal.value().orElseThrow());
  }

  @Test
  void aKindsShapeWritesTheWholeSetsShape() {
    Decision.Allowed allowed = (Decision.Allowed) JsonSamples.of("decisions-v1.txt").get("allowed");

    assertEquals(JsonText.write(JsonShape.of(Decision.class).orElseThrow(), allowed),
        JsonText.write(JsonShape.of(Decision.Allowed.class).orElseThrow(), allowed));
    assertEquals("JsonShape[Decision.Allowed]", JsonShape.of(Decision.Allowed.class).orElseThrow().toString());
  }

  @Test
  void aReadingIsEmptyUntilAWholeValueIsWritten() {
    JsonShape.Reading<Credits> credits = JsonShape.of(Credits.class).orElseThrow().reading();
    assertThrows(IllegalStateException.class, credits::value);

    JsonShape.Reading<Decision> decision = JsonShape.of(Decision.class).orElseThrow().reading();
    decision.startObject();
    decision.name("decision");
    decision.string("allowed");
    IllegalStateException open = assertThrows(IllegalStateException.class, decision::value);
    assertTrue(open.getMessage().contains("JsonShape[Decision]"), open.getMessage());
  }

  @Test
  void aReadingTakesOneValue() {
    JsonShape.Reading<Meter> meter = JsonShape.of(Meter.class).orElseThrow().reading();
    meter.string("LOW");

    assertThrows(IllegalStateException.class, () -> meter.string("OK"));
    assertEquals(Meter.LOW, meter.value());
    assertEquals(Meter.LOW, meter.value());
  }

  @Test
  void callsOutOfOrderAreTheAdaptersMistake() {
    JsonShape<Decision> shape = JsonShape.of(Decision.class).orElseThrow();

    assertThrows(IllegalStateException.class, () -> shape.reading().name("decision"));
    assertThrows(IllegalStateException.class, () -> shape.reading().endObject());
    assertThrows(IllegalStateException.class, () -> shape.reading().endArray());
    JsonShape.Reading<Decision> noName = shape.reading();
    noName.startObject();
    assertThrows(IllegalStateException.class, () -> noName.string("allowed"));
    JsonShape.Reading<Decision> twoNames = shape.reading();
    twoNames.startObject();
    twoNames.name("decision");
    assertThrows(IllegalStateException.class, () -> twoNames.name("operation"));
    assertThrows(IllegalStateException.class, twoNames::endObject);
    JsonShape.Reading<Decision> crossed = shape.reading();
    crossed.startArray();
    assertThrows(IllegalStateException.class, crossed::endObject);
  }

  @Test
  void numbersAreReadAsTheParserReportsThem() {
    JsonShape.Reading<Credits> big = JsonShape.of(Credits.class).orElseThrow().reading();
    big.number(new BigInteger("9223372036854775808"));
    JsonShapeException refusal = assertThrows(JsonShapeException.class, big::value);
    assertEquals(new BigInteger("9223372036854775808"), refusal.value().orElseThrow());
    assertTrue(refusal.getMessage().endsWith("but was the number 9223372036854775808"),
        refusal.getMessage());
  }
}
