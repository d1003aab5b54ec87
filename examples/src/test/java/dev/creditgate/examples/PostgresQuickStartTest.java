package dev.creditgate.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the PostgreSQL quick start against an embedded PostgreSQL, as a user would. */
class PostgresQuickStartTest {

  @Test
  void twoInstancesShareOneWalletAndAWebhookGrantsOnce() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      PostgresQuickStart.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    for (String expected : new String[] {
        "instance A charged 2, 28 left",
        "instance B sees 28 available",
        "webhook delivered twice, granted once: true, balance 128",
        "ledger: 3 entries, consistent with the wallet: true"}) {
      assertTrue(out.contains(expected), () -> "expected <" + expected + "> in:\n" + out);
    }
  }

  @Test
  void groupCommitDecidesEachOfSixteenMembersChargesOnTheSharedWallet() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      GroupCommitOnPostgres.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    for (String expected : new String[] {
        "80 images asked by 16 members at once: 65 allowed, 0 credits left",
        "ledger: 67 entries, consistent with the wallet: true"}) {
      assertTrue(out.contains(expected), () -> "expected <" + expected + "> in:\n" + out);
    }
  }
}
