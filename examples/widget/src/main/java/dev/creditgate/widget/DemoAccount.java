package dev.creditgate.widget;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Opens the demo account's wallet at start-up if it is not open yet (on the catalog's first plan,
 * Free: 30 credits a month). Opening is idempotent by account, so a restart on the same database
 * keeps the wallet as it was.
 */
@Component
class DemoAccount implements ApplicationRunner {
  private static final Logger log = LoggerFactory.getLogger(DemoAccount.class);

  private final CreditGate gate;
  private final AccountId account;
  private final ZoneId zone;

  DemoAccount(CreditGate gate, @Value("${widget.demo-account:maya}") String account,
      @Value("${widget.demo-zone:UTC}") String zone) {
    this.gate = gate;
    this.account = AccountId.of(account);
    this.zone = ZoneId.of(zone);
  }

  @Override
  public void run(ApplicationArguments args) {
    var status = gate.openWallet(account, zone);
    log.info("Demo account {}: {} plan, {} credits available", account, status.plan(), status.available());
  }
}
