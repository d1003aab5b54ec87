package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CSV export is read by people in spreadsheets: text a spreadsheet would run stays text (the
 * raw form writes it as stored, for programs); JSON Lines escapes what JSON requires.
 */
class LedgerCsvTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

  @Test
  void textThatASpreadsheetWouldRunAsAFormulaIsExportedWithALeadingQuoteAndAmountsStayNumbers() {
    CreditGate gate = CreditGate.inMemory();
    AccountId account = AccountId.of("=HYPERLINK(\"http://evil\")");
    gate.openWallet(account, ZoneOffset.UTC, T0);
    gate.adjust(account, Credits.of(-1), "+cmd|' /C calc'!A0", IdempotencyKey.of("@SUM(1+1)"), T0);

    StringBuilder csv = new StringBuilder();
    gate.exportLedger(account, Instant.MIN, Instant.MAX, LedgerFormat.CSV, csv);
    List<String> lines = csv.toString().lines().toList();

    assertEquals("at,account,kind,grant,amount,operation,key", lines.get(0));
    assertEquals("2026-03-02T08:00:00Z,\"'=HYPERLINK(\"\"http://evil\"\")\",ADJUSTMENT,subscription,-1,"
        + "'+cmd|' /C calc'!A0,'@SUM(1+1)", lines.get(2));
  }

  @Test
  void everyFormulaPrefixIsDefusedButTextThatMerelyContainsOneIsNot() {
    for (String start : List.of("=", "+", "-", "@", "\t", "\r")) {
      CreditGate gate = CreditGate.inMemory();
      AccountId account = AccountId.of("acct");
      gate.openWallet(account, ZoneOffset.UTC, T0);
      gate.adjust(account, Credits.of(-1), "x", IdempotencyKey.of(start + "1+1"), T0);
      gate.adjust(account, Credits.of(-1), "x", IdempotencyKey.of("a" + start + "1"), T0);

      String csv = export(gate, account, LedgerFormat.CSV);

      String quoted = start.equals("\r") ? "\"'\r1+1\"" : "'" + start + "1+1";
      assertTrue(csv.contains("," + quoted + "\r\n"), "'" + start + "' defused: " + csv);
      String plain = start.equals("\r") ? "\"a\r1\"" : "a" + start + "1";
      assertTrue(csv.contains("," + plain + "\r\n"), "'" + start + "' inside a cell left alone: " + csv);
    }
  }

  @Test
  void theRawFormWritesEveryCellAsStoredForProgramsThatReadItBack() {
    CreditGate gate = CreditGate.inMemory();
    AccountId account = AccountId.of("=HYPERLINK(\"http://evil\")");
    gate.openWallet(account, ZoneOffset.UTC, T0);
    gate.adjust(account, Credits.of(-1), "x", IdempotencyKey.of("@SUM(1+1)"), T0);

    List<String> lines = export(gate, account, LedgerFormat.CSV_RAW).lines().toList();

    assertEquals("at,account,kind,grant,amount,operation,key", lines.get(0));
    assertEquals("2026-03-02T08:00:00Z,\"=HYPERLINK(\"\"http://evil\"\")\",ADJUSTMENT,subscription,-1,"
        + "x,@SUM(1+1)", lines.get(2));
  }

  @Test
  void jsonLinesEscapesQuotesBackslashesAndEveryControlCharacter() {
    CreditGate gate = CreditGate.inMemory();
    AccountId account = AccountId.of("a\"b\\c");
    gate.openWallet(account, ZoneOffset.UTC, T0);
    gate.adjust(account, Credits.of(-1), "x", IdempotencyKey.of("k\u0001\n\t\u001f\u007f"), T0);

    List<String> lines = export(gate, account, LedgerFormat.JSON_LINES).lines().toList();

    assertTrue(lines.get(1).contains("\"account\":\"a\\\"b\\\\c\""), lines.get(1));
    assertTrue(lines.get(1).contains("\"key\":\"k\\u0001\\n\\t\\u001f\u007f\""), lines.get(1));
  }

  private static String export(CreditGate gate, AccountId account, LedgerFormat format) {
    StringBuilder out = new StringBuilder();
    gate.exportLedger(account, Instant.MIN, Instant.MAX, format, out);
    return out.toString();
  }

  @Test
  void aValueThatStartsWithACommaQuoteOrLineBreakIsQuotedWholeAsRfc4180Says() {
    CreditGate gate = CreditGate.inMemory();
    AccountId account = AccountId.of("ada");
    gate.openWallet(account, ZoneOffset.UTC, T0);
    gate.adjust(account, Credits.of(-1), ",comma", IdempotencyKey.of("a"), T0);
    gate.adjust(account, Credits.of(-1), "\"quote", IdempotencyKey.of("b"), T0);
    gate.adjust(account, Credits.of(-1), "\nnewline", IdempotencyKey.of("c"), T0);
    gate.adjust(account, Credits.of(-1), "plain", IdempotencyKey.of("d"), T0);

    StringBuilder csv = new StringBuilder();
    gate.exportLedger(account, Instant.MIN, Instant.MAX, LedgerFormat.CSV, csv);

    String prefix = "2026-03-02T08:00:00Z,ada,ADJUSTMENT,subscription,-1,";
    assertEquals("at,account,kind,grant,amount,operation,key\r\n"
        + "2026-03-02T08:00:00Z,ada,GRANT,subscription,30,,\r\n"
        + prefix + "\",comma\",a\r\n"
        + prefix + "\"\"\"quote\",b\r\n"
        + prefix + "\"\nnewline\",c\r\n"
        + prefix + "plain,d\r\n", csv.toString());
  }
}
