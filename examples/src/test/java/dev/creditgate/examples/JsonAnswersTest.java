package dev.creditgate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The JSON example prints each answer in its documented shape and reads it back equal. */
class JsonAnswersTest {
  /** The denial's JSON, with all three ways out, as the example prints it twice. */
  private static final String DENIAL = "{\"decision\":\"denied\",\"operation\":\"generate-image\",\"quantity\":1,"
      + "\"cost\":\"2\",\"balanceBefore\":\"0.72\",\"balanceAfter\":\"0.72\",\"meter\":\"LOW\","
      + "\"costBreakdown\":{\"kind\":\"FIXED\",\"units\":1,\"base\":\"0\",\"rate\":\"2\",\"blockSize\":1,"
      + "\"ratePart\":\"2\",\"roundedUp\":false,\"metered\":\"2\",\"share\":10000,\"shareRoundedUp\":false,"
      + "\"total\":\"2\"},"
      + "\"reason\":\"INSUFFICIENT_CREDITS\",\"shortfall\":\"1.28\",\"waysOut\":{\"topUp\":{\"smallestPack\":"
      + "{\"id\":\"small\",\"name\":\"Small\",\"price\":{\"amount\":\"10.00\",\"currency\":\"USD\"},\"credits\":\"100\"},"
      + "\"customPrice\":{\"amount\":\"5.00\",\"currency\":\"USD\"}},\"upgrade\":{\"plan\":{\"id\":\"pro\","
      + "\"name\":\"Pro\",\"monthlyPrice\":{\"amount\":\"20.00\",\"currency\":\"USD\"},\"monthlyCredits\":\"150\","
      + "\"features\":[\"custom-domains\",\"private-projects\"],\"limits\":{\"seats\":1}}},"
      + "\"renewal\":{\"renewsAt\":\"2026-04-01T09:00:00Z\",\"plan\":\"free\",\"credits\":\"30\"},"
      + "\"recommended\":{\"advice\":\"buy-pack\",\"account\":\"maya\",\"at\":\"2026-03-01T09:00:00Z\","
      + "\"forecast\":{\"forecast\":\"not-enough-history\",\"account\":\"maya\",\"at\":\"2026-03-01T09:00:00Z\","
      + "\"available\":\"0.72\",\"nextRenewal\":\"2026-04-01T09:00:00Z\",\"since\":\"2026-03-01T09:00:00Z\","
      + "\"enoughAt\":\"2026-03-02T09:00:00Z\"},\"gap\":\"1.28\",\"pack\":{\"id\":\"small\",\"name\":\"Small\","
      + "\"price\":{\"amount\":\"10.00\",\"currency\":\"USD\"},\"credits\":\"100\"},"
      + "\"customPrice\":{\"amount\":\"5.00\",\"currency\":\"USD\"}}}}";

  @Test
  void jsonAnswersWritesEachAnswerInItsShapeAndReadsItBackEqual() {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      JsonAnswers.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());

    assertEquals(List.of(
        "module found: true",
        "allowed: {\"decision\":\"allowed\",\"operation\":\"ai-chat-message\",\"quantity\":1800,\"cost\":\"0.28\","
            + "\"balanceBefore\":\"30\",\"balanceAfter\":\"29.72\",\"meter\":\"OK\",\"costBreakdown\":{"
            + "\"kind\":\"METERED\",\"units\":1800,\"base\":\"0.1\",\"rate\":\"0.1\",\"blockSize\":1000,"
            + "\"ratePart\":\"0.18\",\"roundedUp\":false,\"metered\":\"0.28\",\"share\":10000,"
            + "\"shareRoundedUp\":false,\"total\":\"0.28\"}}",
        "denied: " + DENIAL,
        "response: {\"requestId\":\"req-7\",\"decision\":" + DENIAL + ",\"wallet\":{\"account\":\"maya\",\"plan\":\"free\","
            + "\"renewalPlan\":\"free\",\"balance\":\"0.72\",\"available\":\"0.72\",\"held\":\"0\",\"debt\":\"0\","
            + "\"subscription\":\"0.72\",\"packs\":\"0\",\"packLots\":[],\"reference\":\"30\",\"meter\":\"LOW\","
            + "\"periodStart\":\"2026-03-01T09:00:00Z\",\"nextRenewal\":\"2026-04-01T09:00:00Z\",\"promotions\":[],\"autoTopUp\":null}}",
        "denial read back equal: true, response read back equal: true",
        "top up with: Small, or wait until 2026-04-01T09:00:00Z",
        "webhook: {\"id\":\"maya#1\",\"event\":{\"type\":\"threshold-crossed\",\"account\":\"maya\","
            + "\"at\":\"2026-03-01T09:00:00Z\",\"percent\":20,\"available\":\"0.72\",\"reference\":\"30\"}}"),
        lines);
  }
}
