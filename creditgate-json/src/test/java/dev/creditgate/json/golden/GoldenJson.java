package dev.creditgate.json.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.creditgate.CreditGate;
import dev.creditgate.Advice;
import dev.creditgate.Decision;
import dev.creditgate.Forecast;
import dev.creditgate.LedgerFormat;
import dev.creditgate.SeatDecision;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.WalletEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The golden JSON files of creditgate-testkit ({@code creditgate-golden/json/}) as tests, for any
 * module that claims the shapes: every line is written byte for byte from its sample in
 * {@link JsonSamples} and read back equal to it. creditgate-json runs these on its shapes with a
 * plain text codec; creditgate-jackson and creditgate-jackson2 run them again, each through its
 * own mapper.
 */
public final class GoldenJson {
  private GoldenJson() {}

  /**
   * The files of values this release writes, one per group of types, in the order docs/json.md
   * shows them: each line is written byte for byte and read back.
   */
  public static final List<String> FILES = List.of("values-v1.txt", "catalog-v1.txt", "decisions-v2.txt",
      "answers-v2.txt", "wallets-v3.txt", "ledger-v1.txt", "events-v1.txt", "advice-v1.txt", "promotions-v1.txt",
      "warnings-v1.txt", "autotopup-v1.txt", "reversals-v1.txt", "rollover-v1.txt");

  /**
   * The files of an earlier release, replaced by a later version of theirs: this release no longer
   * writes them, but reads every line back (0.2's decisions and settlements, which had no cost
   * breakdown, read as not itemized; 0.3's wallet statuses, which had no promotions, read as ones
   * with none; 0.4's first statuses, which had no auto top-up, read as ones without it).
   */
  public static final List<String> READ_ONLY = List.of("decisions-v1.txt", "answers-v1.txt", "wallets-v1.txt",
      "wallets-v2.txt");

  private static List<String> allFiles() {
    List<String> all = new ArrayList<>(FILES);
    all.addAll(READ_ONLY);
    return all;
  }

  /** The file of JSON each module must refuse. */
  public static final String REFUSED = "refused-v1.txt";

  /** A module's way to JSON text and back (a Jackson mapper, creditgate-json's test codec), seen without its library. */
  public interface Codec {
    /**
     * Writes a value as compact JSON.
     *
     * @param value the value
     * @return its JSON
     * @throws Exception if writing fails
     */
    String write(Object value) throws Exception;

    /**
     * Reads JSON as {@code type}.
     *
     * @param json the JSON text
     * @param type the type to read
     * @return the value read
     * @throws Exception if the JSON is refused
     */
    Object read(String json, Class<?> type) throws Exception;

    /**
     * The value a refusal names, checking that the refusal is the module's exception for JSON it
     * cannot read (Jackson's {@code InvalidFormatException}, creditgate-json's
     * {@code JsonShapeException}).
     *
     * @param refusal what {@link #read} threw
     * @return the exception's value
     */
    Object refusedValue(Exception refusal);
  }

  /** One line of a golden file. */
  public record Line(String file, String description, String json) {}

  /**
   * The lines of a file, comments and blank lines left out.
   *
   * @param file the file's name in {@code creditgate-golden/json/}
   * @return its lines, each split at its tabs
   */
  public static List<String[]> lines(String file) {
    String resource = "creditgate-golden/json/" + file;
    InputStream in = GoldenJson.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("no " + resource + " on the class path (creditgate-testkit)");
    }
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return reader.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.split("\t", -1))
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The lines of {@link #FILES}, each with its description and JSON. */
  private static List<Line> valueLines(String file) {
    List<Line> lines = new ArrayList<>();
    for (String[] fields : lines(file)) {
      assertEquals(2, fields.length, () -> file + ": a line is a description, a tab and the JSON: " + fields[0]);
      lines.add(new Line(file, fields[0], fields[1]));
    }
    return lines;
  }

  /**
   * Each file describes exactly its samples, in their order: no line without a sample, no sample
   * without a line.
   *
   * @return one test per file
   */
  public static Stream<DynamicTest> everySampleHasItsLine() {
    return allFiles().stream().map(file -> dynamicTest(file, () -> assertEquals(
        List.copyOf(JsonSamples.of(file).keySet()),
        valueLines(file).stream().map(Line::description).collect(Collectors.toList()))));
  }

  /**
   * Every sample is written byte for byte as its line.
   *
   * @param codec the module's codec
   * @return one test per line
   */
  public static Stream<DynamicTest> writesEveryLine(Codec codec) {
    return FILES.stream().flatMap(file -> valueLines(file).stream()).map(line -> dynamicTest(
        line.file() + ": " + line.description(),
        () -> assertEquals(line.json(), codec.write(sample(line)))));
  }

  /**
   * Every line, of this release's files and of those it only reads, is read back equal to its
   * sample: as its type (for a closed set, the set's interface) and as the sample's own class.
   *
   * @param codec the module's codec
   * @return one test per line
   */
  public static Stream<DynamicTest> readsEveryLineBack(Codec codec) {
    return allFiles().stream().flatMap(file -> valueLines(file).stream()).map(line -> dynamicTest(
        line.file() + ": " + line.description(), () -> {
          Object sample = sample(line);
          assertEquals(comparable(sample), comparable(codec.read(line.json(), readAs(sample))));
          assertEquals(comparable(sample), comparable(codec.read(line.json(), sample.getClass())));
        }));
  }

  /**
   * Every line of {@link #REFUSED} is refused with the module's exception, whose value and
   * message name the bad value and whose message names where it is.
   *
   * @param codec the module's codec
   * @return one test per line
   */
  public static Stream<DynamicTest> refusesEveryBadLine(Codec codec) {
    return lines(REFUSED).stream().map(fields -> dynamicTest(fields[0], () -> {
      assertEquals(5, fields.length, () -> "description, type, JSON, value, path: " + fields[0]);
      Class<?> type = type(fields[1]);
      Exception refusal = assertThrows(Exception.class, () -> codec.read(fields[2], type));
      Object value = codec.refusedValue(refusal);
      assertEquals(fields[3], String.valueOf(value), () -> "the value of " + refusal);
      String message = Objects.requireNonNull(refusal.getMessage());
      if (value != null) {
        assertTrue(message.contains(fields[3]), () -> "names " + fields[3] + ": " + message);
      }
      assertTrue(message.contains(fields[4]), () -> "names " + fields[4] + ": " + message);
    }));
  }

  /**
   * A real gate's ledger: each line of its JSON Lines export is what the module writes for the
   * entry, and reads back as that entry.
   *
   * @param codec the module's codec
   */
  public static void assertLedgerExportIsTheEntryShape(Codec codec) throws Exception {
    CreditGate gate = CreditGate.inMemory();
    AccountId maya = AccountId.of("maya");
    Instant start = Instant.parse("2026-03-01T00:00:00Z");
    gate.openWallet(maya, ZoneOffset.UTC, start);
    gate.charge(maya, Operation.AI_CHAT_MESSAGE, 1_800, IdempotencyKey.of("msg \"1\" \\ \t"), start.plusSeconds(60));
    gate.topUp(maya, "small", IdempotencyKey.of("pay-1"), start.plusSeconds(120));
    gate.reserve(maya, Operation.GENERATE_IMAGE, 2, IdempotencyKey.of("h-1"), start.plusSeconds(180));
    gate.capture(maya, IdempotencyKey.of("h-1"), 1, Outcome.succeeded(), IdempotencyKey.of("cap-1"),
        start.plusSeconds(240));
    gate.adjust(maya, Credits.parse("-0.5"), "support, ticket 7", IdempotencyKey.of("adj-1"), start.plusSeconds(300));
    Instant end = start.plusSeconds(86_400);
    StringBuilder export = new StringBuilder();
    gate.exportLedger(maya, start, end, LedgerFormat.JSON_LINES, export);
    List<LedgerEntry> entries = gate.ledger(maya, start, end).collect(Collectors.toList());
    List<String> lines = export.toString().lines().collect(Collectors.toList());
    assertEquals(entries.size(), lines.size());
    assertTrue(entries.size() >= 6, "entries: " + entries);
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(lines.get(i), codec.write(entries.get(i)));
      assertEquals(entries.get(i), codec.read(lines.get(i), LedgerEntry.class));
    }
  }

  private static Object sample(Line line) {
    Map<String, Object> samples = JsonSamples.of(line.file());
    Object sample = samples.get(line.description());
    if (sample == null) {
      throw new AssertionError(line.file() + " has a line without a sample: " + line.description());
    }
    return sample;
  }

  /** The type a caller names to read the sample: a closed set's interface, an enum's class, or its own. */
  private static Class<?> readAs(Object sample) {
    if (sample instanceof Decision) {
      return Decision.class;
    }
    if (sample instanceof SeatDecision) {
      return SeatDecision.class;
    }
    if (sample instanceof WalletEvent) {
      return WalletEvent.class;
    }
    if (sample instanceof Forecast) {
      return Forecast.class;
    }
    if (sample instanceof Advice) {
      return Advice.class;
    }
    if (sample instanceof Enum<?> e) {
      return e.getDeclaringClass();
    }
    return sample.getClass();
  }

  /** What equality compares: a {@link Catalog}, which has no equals, by its parts. */
  private static Object comparable(Object value) {
    if (value instanceof Catalog catalog) {
      return List.of(catalog.plans(), catalog.packs(), catalog.customPacks());
    }
    return value;
  }

  /** The types {@link #REFUSED} names, as Java names them in source ({@code Decision.Denied}). */
  private static Class<?> type(String name) {
    for (String file : allFiles()) {
      for (Object sample : JsonSamples.of(file).values()) {
        for (Class<?> type : List.of(readAs(sample), sample.getClass())) {
          Class<?> outer = type.getEnclosingClass();
          if ((outer == null ? "" : outer.getSimpleName() + ".").concat(type.getSimpleName()).equals(name)) {
            return type;
          }
        }
      }
    }
    throw new IllegalArgumentException("no sample of type " + name);
  }
}
