package dev.creditgate.examples;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.WaysOut;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import java.time.Instant;
import java.time.ZoneOffset;

/** Turning a denial into the three ways out a UI shows. Free operations stay allowed at zero. */
public final class HandlingDenial {

  static String render(Decision.Denied denied) {
    WaysOut ways = denied.waysOut();
    StringBuilder text = new StringBuilder("You need " + denied.shortfall() + " more credits.\n");
    ways.topUp().smallestPack().ifPresent(pack -> text.append("- Top up: ").append(pack.name())
        .append(" pack, ").append(pack.price()).append(" for ").append(pack.credits()).append(" credits\n"));
    ways.topUp().customPrice().ifPresent(price -> text.append("- Or a Custom pack from ").append(price).append('\n'));
    ways.upgrade().ifPresent(up -> text.append("- Upgrade to ").append(up.plan().name()).append(" (")
        .append(up.price()).append("/month, ").append(up.monthlyCredits()).append(" credits)\n"));
    text.append("- Or wait: ").append(ways.renewal().credits()).append(" credits arrive on ")
        .append(ways.renewal().renewsAt()).append('\n');
    return text.toString();
  }

  public static void main(String[] args) {
    CreditGate gate = CreditGate.inMemory();
    AccountId account = AccountId.of("noor");
    Instant now = Instant.parse("2026-05-01T12:00:00Z");
    gate.openWallet(account, ZoneOffset.UTC, now);
    gate.adjust(account, Credits.of(-30), "example: start at zero", IdempotencyKey.of("setup"), now);

    Decision image = gate.charge(account, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), now);
    if (image instanceof Decision.Denied denied) {
      System.out.print(render(denied));
    }
    Decision publish = gate.charge(account, Operation.PUBLISH_UPDATE, 1, IdempotencyKey.of("pub-1"), now);
    System.out.println("publishing at zero: " + (publish.isAllowed() ? "allowed" : "denied"));
  }
}
