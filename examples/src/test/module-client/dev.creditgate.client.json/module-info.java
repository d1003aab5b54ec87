/**
 * A client on the module path that writes creditgate's answers as JSON with Jackson 3: it requires
 * only the Jackson module, which brings the core and Jackson; the mapper finds the module by its
 * provides clause, and the shapes come from dev.creditgate.json, which the client does not require.
 */
module dev.creditgate.client.json {
  requires dev.creditgate.jackson;
}
