package dev.creditgate.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Prints every figure of JMH result files ({@code -rf json}) with its 99.9% interval, and the
 * ratios the targets are stated in, each with its interval: the PostgreSQL library's charge over the
 * plain-SQL baseline's at each thread count and durability, the history benchmark's costs over
 * their smallest setting, and two threads on one wallet over one.
 *
 * <p><b>Method.</b> Results of one benchmark with the same parameters and thread count are pooled,
 * however many forks and runs they came from (as JMH pools a run's forks): the mean of every
 * measured iteration, and its 99.9% confidence interval from Student's t over all of them. A ratio
 * {@code a / b} of two such means has the interval {@code [a_low / b_high, a_high / b_low]}: every
 * value the ratio can take with both means inside their intervals. That is conservative (each of
 * the two is 99.9%, so the ratio's coverage is at least 99.8%) and wider than a delta-method
 * interval; a ratio is settled when this interval is narrow enough. A ratio whose denominator's
 * interval reaches zero has no upper bound.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.creditgate.benchmarks.Summarise benchmarks/results/*.json
 * </pre>
 */
public final class Summarise {
  /** The widest a PostgreSQL ratio's interval may be, in percentage points, to settle a target. */
  static final double SETTLED_POINTS = 10;
  /** How much more than its smallest setting a history figure may cost: 20%. */
  static final double FLAT = 1.20;
  static final double CONFIDENCE = 0.999;
  /**
   * The secondary results summarised, by the name the profilers give them: bytes allocated per
   * operation ({@code GCProfiler}), and the client's and the server's CPU per operation and the
   * hypervisor's steal ({@link CpuProfiler}).
   */
  static final List<String> SECONDARY = List.of("gc.alloc.rate.norm", "cpu.client", "cpu.server", "steal");

  private Summarise() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: Summarise <jmh-result.json>...");
      System.exit(2);
    }
    List<Path> files = new ArrayList<>();
    for (String arg : args) {
      files.add(Path.of(arg));
    }
    System.out.print(summary(files));
  }

  /** One pooled figure: a benchmark at one set of parameters and threads. */
  record Figure(String benchmark, int threads, Map<String, String> params, String unit, ListStatistics score,
      Map<String, ListStatistics> secondary, int forks) {
    double mean() {
      return score.getMean();
    }

    double low() {
      return score.getN() > 1 ? score.getConfidenceIntervalAt(CONFIDENCE)[0] : Double.NaN;
    }

    double high() {
      return score.getN() > 1 ? score.getConfidenceIntervalAt(CONFIDENCE)[1] : Double.NaN;
    }

    /** The pooled iterations of a secondary result ({@link #SECONDARY}), or null when the run has none. */
    ListStatistics secondary(String name) {
      return secondary.get(name);
    }

    String method() {
      return benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
    }

    String label() {
      StringBuilder s = new StringBuilder(method()).append(" threads=").append(threads);
      params.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
      return s.toString();
    }
  }

  static String summary(List<Path> files) throws IOException {
    Map<String, Figure> figures = new LinkedHashMap<>();
    for (Path file : files) {
      for (Object run : (List<?>) Json.parse(Files.readString(file))) {
        add(figures, (Map<?, ?>) run);
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("Every figure: mean of all measured iterations, ± half its 99.9% interval (n iterations, forks)\n");
    for (Figure f : figures.values()) {
      out.append(String.format(Locale.ROOT, "  %-70s %14s ± %-12s %-8s n=%d forks=%d%s%n", f.label(), number(f.mean()),
          number((f.high() - f.low()) / 2), f.unit(), f.score().getN(), f.forks(), secondaries(f)));
    }
    ratios(out, figures);
    return out.toString();
  }

  /** The figure's bytes per operation, CPU per operation on each side, and steal, where measured. */
  private static String secondaries(Figure f) {
    StringBuilder s = new StringBuilder();
    ListStatistics allocated = f.secondary("gc.alloc.rate.norm");
    if (allocated != null) {
      s.append(String.format(Locale.ROOT, "  %.0f B/op", allocated.getMean()));
    }
    ListStatistics client = f.secondary("cpu.client");
    ListStatistics server = f.secondary("cpu.server");
    ListStatistics steal = f.secondary("steal");
    if (client != null && server != null && steal != null) {
      s.append(String.format(Locale.ROOT, "  cpu: client %.1f ± %.1f us/op, server %.1f ± %.1f us/op; steal %.1f%%",
          client.getMean(), halfWidth(client), server.getMean(), halfWidth(server), steal.getMean()));
    }
    return s.toString();
  }

  private static double halfWidth(ListStatistics s) {
    return s.getN() > 1 ? s.getMeanErrorAt(CONFIDENCE) : Double.NaN;
  }

  private static void ratios(StringBuilder out, Map<String, Figure> figures) {
    StringBuilder postgres = new StringBuilder();
    StringBuilder history = new StringBuilder();
    StringBuilder threads = new StringBuilder();
    StringBuilder cpu = new StringBuilder();
    for (Figure f : figures.values()) {
      String impl = f.params().get("impl");
      if (f.method().equals("PostgresBenchmark.charge") && ("library".equals(impl) || "groupCommit".equals(impl))) {
        for (String over : "library".equals(impl) ? List.of("baseline") : List.of("baseline", "library")) {
          Map<String, String> base = new TreeMap<>(f.params());
          base.put("impl", over);
          Figure b = figures.get(key(f.benchmark(), f.threads(), base));
          if (b != null) {
            double[] r = ratio(f, b);
            double width = (r[2] - r[1]) * 100;
            postgres.append(String.format(Locale.ROOT, "  threads=%-3d durability=%-8s wallets=%-5s %s/%s %s%%  [%s%%, %s%%]"
                    + "  width %s points: %s%n", f.threads(), f.params().get("durability"), f.params().get("wallets"),
                impl, over, fixed(r[0] * 100, 1), fixed(r[1] * 100, 1), fixed(r[2] * 100, 1), fixed(width, 1),
                width < SETTLED_POINTS ? "settled (< " + (int) SETTLED_POINTS + ")" : unsettled(width, f, b)));
            cpu(cpu, f, b, impl + "/" + over);
          }
        }
      }
      if (f.method().startsWith("HistoryBenchmark.") && f.params().size() == 1) {
        Figure smallest = smallest(figures, f);
        if (smallest != null && smallest != f) {
          double[] r = ratio(f, smallest);
          String verdict = r[2] <= FLAT ? "within 20%" : r[1] > FLAT ? "more than 20% over" : "undecided";
          history.append(String.format(Locale.ROOT, "  %-55s / %s=%s  %s  [%s, %s]: %s%n", f.label(),
              f.params().keySet().iterator().next(), smallest.params().values().iterator().next(), fixed(r[0], 2),
              fixed(r[1], 2), fixed(r[2], 2), verdict));
        }
      }
      if (f.method().equals("ChargeBenchmark.twoThreadsOneWallet")) {
        Figure one = figures.values().stream().filter(g -> g.method().equals("ChargeBenchmark.oneThreadOneWallet"))
            .findFirst().orElse(null);
        if (one != null) {
          double[] r = ratio(f, one);
          threads.append(String.format(Locale.ROOT, "  two threads / one thread on one wallet  %s  [%s, %s]; "
              + "two threads %s/s (target 1,000,000, and not below one thread)%n", fixed(r[0], 2), fixed(r[1], 2),
              fixed(r[2], 2), number(f.mean())));
        }
      }
    }
    if (postgres.length() > 0) {
      out.append("\nPostgreSQL charge, the library (alone, and with group commit) over the plain-SQL baseline and"
          + " over each other, measured interleaved\n"
          + "(durable: fsync, synchronous_commit, full_page_writes on; test: all off)\n").append(postgres);
    }
    if (cpu.length() > 0) {
      out.append("\nPostgreSQL charge, CPU per charge over the baseline's (lower is cheaper): the server's (every"
          + " postgres process) and the client's (the benchmark's JVM)\n").append(cpu);
    }
    if (history.length() > 0) {
      out.append("\nHistory and work in flight: cost over the smallest setting (target: within 20%)\n").append(history);
    }
    if (threads.length() > 0) {
      out.append("\nIn memory, one wallet\n").append(threads);
    }
    out.append("\nIntervals: 99.9% (Student's t over the pooled iterations); a ratio's interval is"
        + " [low / other's high, high / other's low].\n");
  }

  /**
   * What it would take to settle a ratio whose interval is {@code width} points wide: an interval
   * narrows as the square root of the iterations pooled, so about {@code (width / 10)^2} times as
   * many forks of the same length, if the machine stays as noisy as it was.
   */
  static String unsettled(double width, Figure a, Figure b) {
    if (Double.isNaN(width) || Double.isInfinite(width)) {
      return "not settled: more rounds";
    }
    double factor = Math.pow(width / SETTLED_POINTS, 2);
    long forks = (long) Math.ceil(Math.max(a.forks(), b.forks()) * factor);
    return String.format(Locale.ROOT, "not settled: about %d forks of each (%.0fx these) would narrow it to %d",
        forks, factor, (int) SETTLED_POINTS);
  }

  /** The server's and the client's CPU per operation of {@code f} over {@code b}'s, when both were measured. */
  private static void cpu(StringBuilder out, Figure f, Figure b, String label) {
    if (f.secondary("cpu.server") == null || b.secondary("cpu.server") == null) {
      return;
    }
    double[] server = ratio(f.secondary("cpu.server"), b.secondary("cpu.server"));
    double[] client = ratio(f.secondary("cpu.client"), b.secondary("cpu.client"));
    out.append(String.format(Locale.ROOT, "  threads=%-3d durability=%-8s wallets=%-5s %s  server %s [%s, %s]  width %s"
            + " points  client %s [%s, %s]%n", f.threads(), f.params().get("durability"), f.params().get("wallets"),
        label, fixed(server[0], 2), fixed(server[1], 2), fixed(server[2], 2), fixed((server[2] - server[1]) * 100, 1),
        fixed(client[0], 2), fixed(client[1], 2), fixed(client[2], 2)));
  }

  /** The figure of the same benchmark at the smallest value of its one parameter. */
  private static Figure smallest(Map<String, Figure> figures, Figure f) {
    Figure best = null;
    for (Figure g : figures.values()) {
      if (g.benchmark().equals(f.benchmark()) && g.threads() == f.threads()
          && g.params().keySet().equals(f.params().keySet())) {
        if (best == null || value(g) < value(best)) {
          best = g;
        }
      }
    }
    return best;
  }

  private static double value(Figure f) {
    try {
      return Double.parseDouble(f.params().values().iterator().next());
    } catch (NumberFormatException e) {
      return Double.MAX_VALUE;
    }
  }

  /** {@code a / b}: the ratio of the means, and its interval's low and high ends. */
  static double[] ratio(Figure a, Figure b) {
    return ratio(a.score(), b.score());
  }

  /** {@code a / b} of two pooled samples: the ratio of the means, and its interval's low and high ends. */
  static double[] ratio(ListStatistics a, ListStatistics b) {
    if (a.getN() < 2 || b.getN() < 2) {
      return new double[] {a.getMean() / b.getMean(), Double.NaN, Double.NaN};
    }
    double[] ai = a.getConfidenceIntervalAt(CONFIDENCE);
    double[] bi = b.getConfidenceIntervalAt(CONFIDENCE);
    double low = bi[1] > 0 ? ai[0] / bi[1] : Double.NaN;
    double high = bi[0] > 0 ? ai[1] / bi[0] : Double.POSITIVE_INFINITY;
    return new double[] {a.getMean() / b.getMean(), low, high};
  }

  private static void add(Map<String, Figure> figures, Map<?, ?> run) {
    String benchmark = (String) run.get("benchmark");
    int threads = ((Number) run.get("threads")).intValue();
    Map<String, String> params = new TreeMap<>();
    if (run.get("params") instanceof Map<?, ?> p) {
      p.forEach((k, v) -> params.put((String) k, String.valueOf(v)));
    }
    Map<?, ?> primary = (Map<?, ?>) run.get("primaryMetric");
    String unit = (String) primary.get("scoreUnit");
    Figure f = figures.computeIfAbsent(key(benchmark, threads, params),
        k -> new Figure(benchmark, threads, params, unit, new ListStatistics(), new TreeMap<>(), 0));
    List<?> raw = (List<?>) primary.get("rawData");
    for (Object fork : raw) {
      for (Object iteration : (List<?>) fork) {
        f.score().addValue(((Number) iteration).doubleValue());
      }
    }
    if (run.get("secondaryMetrics") instanceof Map<?, ?> secondary) {
      for (Map.Entry<?, ?> metric : secondary.entrySet()) {
        String name = ((String) metric.getKey()).replace(CpuProfiler.PREFIX, "");
        if (SECONDARY.contains(name)) {
          ListStatistics values = f.secondary().computeIfAbsent(name, n -> new ListStatistics());
          for (Object fork : (List<?>) ((Map<?, ?>) metric.getValue()).get("rawData")) {
            for (Object iteration : (List<?>) fork) {
              if (iteration instanceof Number n && !Double.isNaN(n.doubleValue())) {
                values.addValue(n.doubleValue());
              }
            }
          }
        }
      }
    }
    figures.put(key(benchmark, threads, params), new Figure(benchmark, threads, params, unit, f.score(),
        f.secondary(), f.forks() + raw.size()));
  }

  private static String key(String benchmark, int threads, Map<String, String> params) {
    return benchmark + "|" + threads + "|" + new TreeMap<>(params);
  }

  /** {@code d} with {@code decimals} decimals, or "?" when the interval is unknown (one iteration). */
  private static String fixed(double d, int decimals) {
    return Double.isNaN(d) || Double.isInfinite(d) ? "?" : String.format(Locale.ROOT, "%5." + decimals + "f", d);
  }

  private static String number(double d) {
    if (Double.isNaN(d)) {
      return "?";
    }
    return d >= 100 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.3f", d);
  }
}
