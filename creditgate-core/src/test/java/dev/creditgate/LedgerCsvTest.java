package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSV export is read by people in spreadsheets: text a spreadsheet would run stays text. */
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
