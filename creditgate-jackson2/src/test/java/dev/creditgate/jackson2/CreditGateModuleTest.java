package dev.creditgate.jackson2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.Decision;
import dev.creditgate.UsageReport;
import dev.creditgate.WalletStatus;
import dev.creditgate.json.golden.GoldenJson;
import dev.creditgate.json.golden.JsonSamples;
import dev.creditgate.model.Credits;
import dev.creditgate.model.WalletEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Jackson 2 holds to the golden JSON files, whatever the mapper's settings, and finds the module itself. */
class CreditGateModuleTest {
  private static final JsonMapper MAPPER = JsonMapper.builder().addModule(new CreditGateModule()).build();

  /** The mapper as GoldenJson sees it. */
  static GoldenJson.Codec codec(JsonMapper mapper) {
    return new GoldenJson.Codec() {
      @Override
      public String write(Object value) throws Exception {
        return mapper.writeValueAsString(value);
      }

      @Override
      public Object read(String json, Class<?> type) throws Exception {
        return mapper.readValue(json, type);
      }

      @Override
      public Object refusedValue(Exception refusal) {
        return assertInstanceOf(InvalidFormatException.class, refusal, "Jackson's mapping exception").getValue();
      }
    };
  }

  @TestFactory
  Stream<DynamicTest> everySampleHasItsLine() {
    return GoldenJson.everySampleHasItsLine();
  }

  @TestFactory
  Stream<DynamicTest> writesEveryGoldenLineByteForByte() {
    return GoldenJson.writesEveryLine(codec(MAPPER));
  }

  @TestFactory
  Stream<DynamicTest> readsEveryGoldenLineBackEqual() {
    return GoldenJson.readsEveryLineBack(codec(MAPPER));
  }

  @TestFactory
  Stream<DynamicTest> refusesEveryBadValueNamingIt() {
    return GoldenJson.refusesEveryBadLine(codec(MAPPER));
  }

  @Test
  void aLedgerExportLineIsTheEntryShape() throws Exception {
    GoldenJson.assertLedgerExportIsTheEntryShape(codec(MAPPER));
  }

  /** Settings a host may have (Spring Boot's properties set some) change no shape. */
  @TestFactory
  Stream<DynamicTest> writesTheSameLinesWhateverTheMapperSettings() {
    JsonMapper host = JsonMapper.builder()
        .addModule(new CreditGateModule())
        .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY,
            JsonInclude.Include.NON_EMPTY))
        .build();
    return GoldenJson.writesEveryLine(codec(host));
  }

  @Test
  void moduleDiscoveryFindsTheModule() throws Exception {
    JsonMapper found = JsonMapper.builder().findAndAddModules().build();

    assertTrue(found.getRegisteredModuleIds().contains(CreditGateModule.class.getName()),
        () -> "registered: " + found.getRegisteredModuleIds());
    assertEquals("\"0.3\"", found.writeValueAsString(Credits.parse("0.3")));
    // without the module, Jackson writes the record's component and its getters: the shape is the module's doing
    assertEquals("{\"thousandths\":300,\"zero\":false,\"negative\":false,\"positive\":true}",
        JsonMapper.builder().build().writeValueAsString(Credits.parse("0.3")));
  }

  @Test
  void theServiceFileNamesTheModule() {
    List<Class<?>> modules = ServiceLoader.load(Module.class).stream()
        .map(ServiceLoader.Provider::type).collect(Collectors.toList());

    assertTrue(modules.contains(CreditGateModule.class), () -> "services: " + modules);
  }

  @Test
  void registeringTheModuleTwiceChangesNothing() {
    JsonMapper twice = JsonMapper.builder().addModule(new CreditGateModule()).addModule(new CreditGateModule()).build();

    assertEquals(1, twice.getRegisteredModuleIds().stream()
        .filter(id -> id.equals(CreditGateModule.class.getName())).count());
  }

  /** A host's own response type, with creditgate values inside. */
  record ChargeResponse(String requestId, Decision decision, WalletStatus wallet, List<WalletEvent> events) {}

  @Test
  void valuesInsideAHostsTypeRoundTrip() throws Exception {
    ChargeResponse response = new ChargeResponse("req-1",
        (Decision) JsonSamples.of("decisions-v1.txt").get("denied, all three ways out"),
        (WalletStatus) JsonSamples.of("wallets-v1.txt").get("wallet, several pack lots"),
        List.of((WalletEvent) JsonSamples.of("events-v1.txt").get("threshold crossed"),
            (WalletEvent) JsonSamples.of("events-v1.txt").get("member added")));

    String json = MAPPER.writeValueAsString(response);

    assertEquals(response, MAPPER.readValue(json, ChargeResponse.class));
    assertTrue(json.contains("\"decision\":{\"decision\":\"denied\",\"operation\":\"generate-image\""), json);
  }

  @Test
  void aBadValueInsideAHostsTypeIsNamedWithItsPath() {
    String json = "{\"requestId\":\"req-1\",\"decision\":{\"decision\":\"allowed\",\"operation\":\"generate-image\","
        + "\"quantity\":1,\"cost\":\"2\",\"balanceBefore\":\"30\",\"balanceAfter\":\"28.0001\",\"meter\":\"OK\"},"
        + "\"wallet\":null,\"events\":[]}";

    InvalidFormatException refusal = assertThrows(InvalidFormatException.class,
        () -> MAPPER.readValue(json, ChargeResponse.class));

    assertEquals("28.0001", refusal.getValue());
    assertTrue(refusal.getMessage().contains("balanceAfter: credits \"28.0001\" have more than three decimals"),
        refusal.getMessage());
    assertEquals("decision", refusal.getPath().get(0).getFieldName());
  }

  @Test
  void aFailingOutputFailsWithItsOwnIOException() {
    UsageReport one = (UsageReport) JsonSamples.of("answers-v1.txt").get("usage report");
    // far more than the generator's buffer, so the output is written to while the shape is being written
    UsageReport large = new UsageReport(one.account(), one.plan(), one.periodStart(), one.periodEnd(),
        Collections.nCopies(2_000, one.members().get(0)));
    IOException broken = new IOException("connection reset");
    OutputStream output = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw broken;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw broken;
      }
    };

    IOException thrown = assertThrows(IOException.class, () -> MAPPER.writeValue(output, large));

    assertSame(broken, thrown);
  }
}
