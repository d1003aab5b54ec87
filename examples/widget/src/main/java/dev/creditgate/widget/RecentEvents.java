package dev.creditgate.widget;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.EventId;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spring.boot.CreditGateEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The wallet events the starter publishes (the warnings at 20% and 0%, grants, plan changes...),
 * kept per account for the page's notifications: the last {@value #KEPT} of each account, newest
 * first, each once (events arrive at least once, so a redelivery is recognised by its id). In
 * this process's memory, for the demo; a service would send them on (e-mail, a queue).
 */
@RestController
class RecentEvents {
  /** Events kept per account. */
  static final int KEPT = 20;

  /** An event as the page reads it: its id ({@code "maya#7"}) and the event, in creditgate's shapes. */
  record Notification(EventId id, WalletEvent event) {}

  private final Map<AccountId, Deque<Notification>> byAccount = new ConcurrentHashMap<>();

  @EventListener
  void on(CreditGateEvent<?> published) {
    Notification notification = new Notification(published.id(), published.event());
    Deque<Notification> recent = byAccount.computeIfAbsent(published.id().account(), account -> new ArrayDeque<>());
    synchronized (recent) {
      if (recent.stream().noneMatch(kept -> kept.id().equals(notification.id()))) {
        recent.addFirst(notification);
        while (recent.size() > KEPT) {
          recent.removeLast();
        }
      }
    }
  }

  /** The account's recent events, newest first; none for an account without events (or unknown). */
  @GetMapping("/api/accounts/{account}/events")
  List<Notification> recent(@PathVariable String account) {
    Deque<Notification> recent = byAccount.get(AccountId.of(account));
    if (recent == null) {
      return List.of();
    }
    synchronized (recent) {
      return new ArrayList<>(recent);
    }
  }
}
