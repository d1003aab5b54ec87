package dev.creditgate.examples;

import dev.creditgate.AutoTopUpStatus;
import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.EventId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.EventSink;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;

/**
 * Auto top-up with a fake payment provider: the spend that reaches the threshold records one
 * request; the provider, listening as the event sink, charges the card with the request's id as
 * its idempotency key and reports back through its webhook: a top-up under that id, or a decline.
 * The first charge goes through, the next ones are declined: after a back-off and two declines in
 * a row auto top-up switches itself off.
 */
public final class AutoTopUp {
  public static void main(String[] args) {
    FakePaymentProvider provider = new FakePaymentProvider(1);
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).eventSink(provider).build();
    AccountId maya = AccountId.of("maya");
    Instant now = Instant.parse("2026-03-02T08:00:00Z");
    gate.openWallet(maya, ZoneOffset.UTC, now);                                  // Free: 30 credits
    // The Small pack ($10, 100 credits) at 5 credits or less; at most $30 and 3 a month; off after
    // 2 declines in a row; a declined card is tried again a day later at the earliest.
    gate.setAutoTopUp(maya, Optional.of(dev.creditgate.model.AutoTopUp.withPack("small", Credits.of(5),
        Money.usd("30"), 3).withDeclineLimit(2).withBackoff(Duration.ofDays(1))),
        IdempotencyKey.of("auto-top-up:maya"), now);

    gate.charge(maya, Operation.GENERATE_IMAGE, 13, IdempotencyKey.of("img-1"), now.plusSeconds(60)); // 30 -> 4
    provider.settle(gate, now.plusSeconds(90));                                  // approved: 104
    gate.charge(maya, Operation.GENERATE_IMAGE, 50, IdempotencyKey.of("img-2"), now.plusSeconds(120)); // 104 -> 4
    provider.settle(gate, now.plusSeconds(150));                                 // declined
    gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-3"), now.plusSeconds(3_600)); // 2
    AutoTopUpStatus waiting = gate.status(maya, now.plusSeconds(3_600)).autoTopUp().orElseThrow();
    System.out.println("in back-off: no request before " + waiting.retryNotBefore().orElseThrow()
        + ", open: " + waiting.open().isPresent());
    Instant tomorrow = now.plus(Duration.ofDays(1)).plusSeconds(150);
    gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-4"), tomorrow); // 0: asked again
    provider.settle(gate, tomorrow.plusSeconds(30));                             // declined: switched off
    AutoTopUpStatus off = gate.status(maya, tomorrow.plusSeconds(30)).autoTopUp().orElseThrow();
    System.out.println("auto top-up on: " + off.rule().isPresent() + ", switched off: " + off.switchedOff()
        + ", requests this period: " + off.requestsThisPeriod() + " (" + off.requestedThisPeriod().orElseThrow() + ")");
  }

  /**
   * A payment provider in the same process: it queues each request it hears of, then charges them
   * when asked; the first {@code approvals} go through, the rest are declined. Its webhook calls
   * the gate after the sink returned (a sink never calls the gate).
   */
  static final class FakePaymentProvider implements EventSink {
    private final Queue<WalletEvent.AutoTopUpRequested> pending = new ArrayDeque<>();
    private int approvals;

    FakePaymentProvider(int approvals) {
      this.approvals = approvals;
    }

    @Override
    public synchronized void publish(EventId id, WalletEvent event) {
      if (event instanceof WalletEvent.AutoTopUpRequested r) {
        System.out.println(r.at() + " requested " + r.request() + ": " + r.pack() + ", " + r.credits() + " credits for "
            + r.price());
        pending.add(r);
      } else if (event instanceof WalletEvent.AutoTopUpDisabled d) {
        System.out.println(d.at() + " auto top-up switched off after " + d.declines() + " declines (" + d.reason() + ")");
      }
    }

    /** Charges the card for each request heard of, and reports each outcome to the gate. */
    void settle(CreditGate gate, Instant at) {
      WalletEvent.AutoTopUpRequested r;
      while ((r = poll()) != null) {
        // The request id is the charge's idempotency key here, and the top-up's payment id there.
        IdempotencyKey payment = IdempotencyKey.of(r.request());
        if (approvals-- > 0) {
          System.out.println(at + " charged " + r.price() + ": " + gate.topUp(r.account(), r.pack(), payment, at)
              .balanceAfter() + " available");
        } else {
          gate.declineAutoTopUp(r.account(), r.request(), "card_declined", IdempotencyKey.of("decline:" + r.request()),
              at);
          System.out.println(at + " declined " + r.request());
        }
      }
    }

    private synchronized WalletEvent.AutoTopUpRequested poll() {
      return pending.poll();
    }
  }
}
