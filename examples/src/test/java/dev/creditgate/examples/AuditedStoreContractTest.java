package dev.creditgate.examples;

import dev.creditgate.spi.WalletStore;
import dev.creditgate.store.memory.InMemoryWalletStore;
import dev.creditgate.testkit.GateChains;
import dev.creditgate.testkit.InFlightWork;
import dev.creditgate.testkit.WalletStoreContract;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.ActionChain;

/**
 * A store author's tests, as the testkit has them run: the decorator {@link AuditedStore} passes the
 * whole conformance suite, and the stateful property against the reference model, exactly as the
 * stores it wraps do.
 */
class AuditedStoreContractTest extends WalletStoreContract {
  @Override
  protected WalletStore store() {
    return new AuditedStore(InMemoryWalletStore.create(), line -> { });
  }

  @Property(tries = 50)
  void inFlightWorkOnAnAuditedStoreMatchesTheModel(@ForAll("chains") ActionChain<InFlightWork> chain) {
    GateChains.run(chain);
  }

  @Provide
  Arbitrary<ActionChain<InFlightWork>> chains() {
    return GateChains.inFlightWork(() -> new AuditedStore(InMemoryWalletStore.create(), line -> { }));
  }
}
