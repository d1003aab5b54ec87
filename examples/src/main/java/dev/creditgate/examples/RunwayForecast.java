package dev.creditgate.examples;

import dev.creditgate.CreditGate;
import dev.creditgate.Forecast;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The runway: "at this rate you run out on 14 March, 5 days before your renewal". The gate answers
 * with exact instants and credits; the sentence, in the user's language and time zone, is the
 * host's (here, {@link #sentence}).
 */
public final class RunwayForecast {

  /** The balance widget's line for a forecast, with dates in {@code zone} and {@code locale}. */
  static String sentence(Forecast forecast, ZoneId zone, Locale locale) {
    DateTimeFormatter dayAndMonth = DateTimeFormatter.ofPattern("d MMMM", locale);
    String renewal = dayAndMonth.format(forecast.nextRenewal().atZone(zone));
    if (forecast instanceof Forecast.Projected p && p.runsOutBeforeRenewal()) {
      long days = ChronoUnit.DAYS.between(p.runsOutAt().atZone(zone).toLocalDate(),
          p.nextRenewal().atZone(zone).toLocalDate());
      return "At this rate you run out on " + dayAndMonth.format(p.runsOutAt().atZone(zone)) + ", " + days
          + (days == 1 ? " day" : " days") + " before your renewal (" + p.neededToReachRenewal()
          + " more credits would last until then).";
    }
    if (forecast instanceof Forecast.NotEnoughHistory n) {
      return "Not enough history for a forecast yet: ask again after "
          + DateTimeFormatter.ofPattern("d MMMM HH:mm", locale).format(n.enoughAt().atZone(zone)) + ".";
    }
    return "At this rate your credits last until your renewal on " + renewal + ".";
  }

  public static void main(String[] args) {
    ZoneId paris = ZoneId.of("Europe/Paris");
    Instant opened = Instant.parse("2026-02-18T23:00:00Z");                  // 19 February, midnight in Paris
    CreditGate gate = CreditGate.builder(dev.creditgate.store.memory.InMemoryWalletStore.create())
        .forecastWindow(Duration.ofDays(14))                                  // the default, said out loud
        .clock(Clock.fixed(Instant.parse("2026-03-03T23:00:00Z"), paris))     // "now": 4 March, midnight in Paris
        .build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, paris, opened);
    gate.changePlan(maya, "pro", IdempotencyKey.of("upgrade-1"), opened);    // 150 credits, renewing on the 19th
    for (int day = 0; day < 5; day++) {                                       // five images a day: 10 credits
      gate.charge(maya, Operation.GENERATE_IMAGE, 5, IdempotencyKey.of("img-" + day),
          Instant.parse("2026-02-26T23:00:00Z").plus(Duration.ofDays(day)));
    }
    Forecast forecast = gate.forecast(maya);
    if (forecast instanceof Forecast.Projected p) {
      System.out.println("spent " + p.spent() + " over " + p.window().toDays() + " days: " + p.perDay() + " a day; "
          + p.available() + " left");
    }
    System.out.println(sentence(forecast, paris, Locale.UK));
  }
}
