package dev.creditgate.examples;

import dev.creditgate.CreditGate;
import dev.creditgate.micrometer.CreditGateMetrics;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.store.memory.InMemoryWalletStore;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The gate's metrics in a Micrometer registry: decisions, credits spent and granted, warnings, call
 * times. A service passes its own registry (Prometheus, OTLP...); this one prints a simple one.
 */
public final class Metrics {

  public static void main(String[] args) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create())
        .observer(new CreditGateMetrics(registry, Tags.of("service", "builder-api")))
        .build();
    AccountId account = AccountId.of("noor");
    Instant now = Instant.parse("2026-05-01T12:00:00Z");
    gate.openWallet(account, ZoneOffset.UTC, now);
    gate.charge(account, Operation.GENERATE_IMAGE, 12, IdempotencyKey.of("img-1"), now);  // 24 of 30
    gate.charge(account, Operation.GENERATE_IMAGE, 5, IdempotencyKey.of("img-2"), now);   // denied
    gate.topUp(account, "small", IdempotencyKey.of("pay-1"), now);
    gate.charge(account, Operation.GENERATE_IMAGE, 5, IdempotencyKey.of("img-2"), now);   // allowed now

    System.out.println("allowed image charges: " + registry.get(CreditGateMetrics.DECISIONS)
        .tags("operation", "generate-image", "result", "allowed").counter().count());
    System.out.println("denied for credits: " + registry.get(CreditGateMetrics.DECISIONS)
        .tags("reason", "insufficient_credits").counter().count());
    System.out.println("credits spent on images: " + registry.get(CreditGateMetrics.CREDITS_SPENT)
        .tags("operation", "generate-image").counter().count());
    System.out.println("credits granted by packs: " + registry.get(CreditGateMetrics.CREDITS_GRANTED)
        .tags("source", "pack").counter().count());
    System.out.println("warnings at 20%: " + registry.get(CreditGateMetrics.THRESHOLDS_CROSSED)
        .tags("percent", "20").counter().count());
    System.out.println("charges timed: " + registry.get(CreditGateMetrics.CALLS)
        .tags("call", "charge", "outcome", "ok").timer().count());
  }
}
