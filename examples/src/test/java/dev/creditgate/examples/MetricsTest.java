package dev.creditgate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the metrics example and checks every count it prints. */
class MetricsTest {

  @Test
  void theMetricsExamplePrintsEachMetersCount() {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      Metrics.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    assertEquals(List.of(
        "allowed image charges: 2.0",
        "denied for credits: 1.0",
        "credits spent on images: 34.0",
        "credits granted by packs: 100.0",
        "warnings at 20%: 1.0",
        "charges timed: 3"), bytes.toString(StandardCharsets.UTF_8).lines().toList());
  }
}
