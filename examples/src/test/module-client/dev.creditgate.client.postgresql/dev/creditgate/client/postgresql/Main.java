package dev.creditgate.client.postgresql;

import dev.creditgate.postgresql.JdbcWalletStore;
import javax.sql.DataSource;

/** Links the JDBC store (no database needed). ModulePathClientTest checks what it prints. */
public final class Main {
  public static void main(String[] args) {
    // DataSource compiles without "requires java.sql": dev.creditgate.postgresql requires it transitively.
    Class<?> store = JdbcWalletStore.class;
    Class<?> dataSource = DataSource.class;
    System.out.println(store.getName() + " in module " + store.getModule().getName());
    System.out.println(dataSource.getName() + " in module " + dataSource.getModule().getName());
    System.out.println("java.sql in the boot layer: " + ModuleLayer.boot().findModule("java.sql").isPresent());
  }
}
