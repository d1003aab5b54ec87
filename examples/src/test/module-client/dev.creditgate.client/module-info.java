/** A client on the module path that needs only the core: its boot layer must not hold java.sql. */
module dev.creditgate.client {
  requires dev.creditgate;
}
