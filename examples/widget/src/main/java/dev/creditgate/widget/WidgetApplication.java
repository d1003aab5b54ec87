package dev.creditgate.widget;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The credit widget: a Spring Boot service on creditgate that serves the help article's screens (the
 * credit balance widget, "Get more credits", the three ways out of a denial, Account -> Billing)
 * and the REST endpoints behind them. {@code mvn -f examples/widget/pom.xml spring-boot:run}, then
 * open http://localhost:8080.
 */
@SpringBootApplication
public class WidgetApplication {

  /**
   * Starts the service.
   *
   * @param args Spring Boot's command line ({@code --creditgate.store=memory} for wallets in memory)
   */
  public static void main(String[] args) {
    SpringApplication.run(WidgetApplication.class, args);
  }
}
