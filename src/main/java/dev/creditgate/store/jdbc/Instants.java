package dev.creditgate.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Instants in two columns: a {@code timestamptz} (which holds whole microseconds, and is what
 * queries and people read) and the nanoseconds below the microsecond, so that every
 * {@link Instant} reads back exactly. Truncation (not the driver's rounding) keeps the
 * {@code timestamptz} column ordered like the instants, which range queries rely on.
 */
final class Instants {
  private Instants() {}

  // PostgreSQL's timestamptz range is 4713 BC to 294276 AD; query bounds are clamped into it.
  private static final Instant FIRST = Instant.parse("-4712-01-01T00:00:00Z");
  private static final Instant LAST = Instant.parse("+294275-12-31T00:00:00Z");

  static Instant truncate(Instant at) {
    return at.truncatedTo(ChronoUnit.MICROS);
  }

  /** Binds {@code at} to parameters {@code index} (timestamptz) and {@code index + 1} (nanos). */
  static void bind(PreparedStatement ps, int index, Instant at) throws SQLException {
    Instant micros = truncate(at);
    ps.setObject(index, OffsetDateTime.ofInstant(micros, ZoneOffset.UTC));
    ps.setInt(index + 1, at.getNano() - micros.getNano());
  }

  /** Like {@link #bind}, with a null timestamptz and 0 nanos for {@code null}. */
  static void bindNullable(PreparedStatement ps, int index, Instant at) throws SQLException {
    if (at == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
      ps.setInt(index + 1, 0);
    } else {
      bind(ps, index, at);
    }
  }

  /**
   * Binds the query bound {@code at}, truncated to the microsecond and clamped into PostgreSQL's
   * range, to the timestamptz parameter {@code index}.
   */
  static void bindMicros(PreparedStatement ps, int index, Instant at) throws SQLException {
    Instant bound = at.isBefore(FIRST) ? FIRST : at.isAfter(LAST) ? LAST : truncate(at);
    ps.setObject(index, OffsetDateTime.ofInstant(bound, ZoneOffset.UTC));
  }

  /** Reads the instant in columns {@code index} (timestamptz) and {@code index + 1} (nanos). */
  static Instant read(ResultSet rs, int index) throws SQLException {
    OffsetDateTime time = rs.getObject(index, OffsetDateTime.class);
    return time.toInstant().plusNanos(rs.getInt(index + 1));
  }
}
