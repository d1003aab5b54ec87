/**
 * The one JSON shape of every creditgate answer and value, with no JSON library in it:
 * {@link dev.creditgate.json.JsonShape} writes each to and reads each from a
 * {@link dev.creditgate.json.JsonWriter}, a stream of JSON calls that an adapter bridges to its
 * library (creditgate-jackson for Jackson 3, creditgate-jackson2 for Jackson 2). docs/json.md
 * documents the shapes.
 */
package dev.creditgate.json;
