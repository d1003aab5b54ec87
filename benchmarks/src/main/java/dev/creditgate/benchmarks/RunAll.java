package dev.creditgate.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Version;

/**
 * The one benchmark command: every benchmark, each figure written to the results directory with
 * the machine and the date.
 *
 * <ol>
 *   <li>{@code machine.txt}: cores, memory, {@code uname -a}, the JDK, JMH, PostgreSQL's version and
 *       the file system its data lives on, the load average, the commit, when the run started
 *       (and, at the end, when it ended);
 *   <li>{@code results.json}: the in-memory benchmarks ({@code Check}, {@code Charge},
 *       {@code History}) as their annotations configure them, with the GC profiler;
 *   <li>{@code postgres.json}: {@link PostgresBenchmark}, the plain-SQL baseline and the library's
 *       charge interleaved: in each round, at each durability and thread count, one fork of each,
 *       the order turned round every other round, so that both meet the same machine; and
 *       {@code reserve} + {@code capture} in the first rounds, each iteration with its CPU per
 *       operation on the client and the server and the hypervisor's steal ({@link CpuProfiler}).
 *       Rewritten after every fork, so an interrupted run keeps what it measured;
 *   <li>{@code statements.txt}, with {@code -Dbench.statements=true}: each PostgreSQL fork's server
 *       execution time by statement ({@link StatementProfile}; off by default, since the extension
 *       it needs costs the server a little);
 *   <li>{@code heap.txt}: {@link IdleWalletHeap} in a JVM of its own;
 *   <li>{@code summary.txt}: {@link Summarise} over both JSON files: every figure and every ratio
 *       with its interval.
 * </ol>
 *
 * <p>Settings, as system properties: {@code bench.results} (directory, default
 * {@code benchmarks/results}), {@code bench.parts} (default {@code memory,postgres,heap}),
 * {@code bench.rounds} (PostgreSQL rounds, default 6), {@code bench.threads} (default
 * {@code 1,4,16}), {@code bench.durability} (default {@code durable,test}),
 * {@code bench.reserveRounds} (rounds that also measure reserve + capture, default 2),
 * {@code bench.memory} (a regular expression of the in-memory benchmarks to run, all by default),
 * {@code bench.warmups}, {@code bench.iterations} and {@code bench.seconds} (per PostgreSQL fork,
 * default 3, 10 and 5), {@code bench.jitWarmUp} (charges each PostgreSQL fork makes on one thread
 * before its warm-up iterations, default 15,000), {@code bench.statements=true} (write
 * {@code statements.txt}), and {@code bench.smoke=true}, which makes every part as short as JMH allows
 * (one fork, no warm-up, one one-second iteration, one round at one thread) to prove the harness
 * works.
 */
public final class RunAll {
  private RunAll() {}

  public static void main(String[] args) throws Exception {
    boolean smoke = Boolean.getBoolean("bench.smoke");
    Path results = Path.of(System.getProperty("bench.results", "benchmarks/results"));
    List<String> parts = list("bench.parts", "memory,postgres,heap");
    int rounds = Integer.getInteger("bench.rounds", smoke ? 1 : 6);
    int reserveRounds = Integer.getInteger("bench.reserveRounds", smoke ? 1 : 2);
    List<String> threads = list("bench.threads", smoke ? "1" : "1,4,16");
    List<String> durabilities = list("bench.durability", "durable,test");
    int warmups = Integer.getInteger("bench.warmups", smoke ? 0 : 3);
    int iterations = Integer.getInteger("bench.iterations", smoke ? 1 : 10);
    int seconds = Integer.getInteger("bench.seconds", smoke ? 1 : 5);
    Files.createDirectories(results);

    Instant started = Instant.now();
    String machine = machine(started);
    Files.writeString(results.resolve("machine.txt"), machine);
    System.out.print(machine);

    List<Path> summarised = new ArrayList<>();
    if (parts.contains("memory")) {
      Path json = results.resolve("results.json");
      ChainedOptionsBuilder memory = new OptionsBuilder()
          .include(System.getProperty("bench.memory", "dev\\.creditgate\\.benchmarks\\.(Check|Charge|History)Benchmark\\."))
          .addProfiler(GCProfiler.class)
          .resultFormat(ResultFormatType.JSON)
          .result(json.toString());
      if (smoke) {
        memory.forks(1).warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.seconds(1));
      }
      new Runner(memory.build()).run();
      summarised.add(json);
    }
    if (parts.contains("postgres")) {
      Path json = results.resolve("postgres.json");
      Path statements = Boolean.getBoolean("bench.statements") ? results.resolve("statements.txt") : null;
      if (statements != null) {
        Files.deleteIfExists(statements);
      }
      List<RunResult> all = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        List<String> order = round % 2 == 1 ? List.of("baseline", "library", "groupCommit")
            : List.of("groupCommit", "library", "baseline");
        for (String durability : durabilities) {
          for (String t : threads) {
            for (String impl : order) {
              System.out.printf("%n# round %d of %d: charge, %s, %s, %s threads%n", round, rounds, impl, durability, t);
              all.addAll(postgres("charge", durability, Integer.parseInt(t), impl, 1000, warmups, iterations,
                  seconds, statements));
              write(json, all);
            }
            if (round <= reserveRounds) {
              System.out.printf("%n# round %d of %d: reserveCapture, %s, %s threads%n", round, rounds, durability, t);
              all.addAll(postgres("reserveCapture", durability, Integer.parseInt(t), null, 1000, warmups,
                  iterations, seconds, statements));
              write(json, all);
            }
          }
          // One hot wallet (a team's, every member charging at once): alone against group commit.
          for (String impl : hotOrder(round)) {
            int t = Integer.parseInt(threads.get(threads.size() - 1));
            System.out.printf("%n# round %d of %d: charge on one hot wallet, %s, %s, %d threads%n", round, rounds,
                impl, durability, t);
            all.addAll(postgres("charge", durability, t, impl, 1, warmups, iterations, seconds, statements));
            write(json, all);
          }
        }
      }
      summarised.add(json);
    }
    if (parts.contains("heap")) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process heap = new ProcessBuilder(java, "-Xmx4g", "-cp", System.getProperty("java.class.path"),
          IdleWalletHeap.class.getName())
          .redirectErrorStream(true)
          .redirectOutput(results.resolve("heap.txt").toFile())
          .start();
      if (heap.waitFor() != 0) {
        throw new IllegalStateException("IdleWalletHeap failed; see " + results.resolve("heap.txt"));
      }
      System.out.print(Files.readString(results.resolve("heap.txt")));
    }
    Files.writeString(results.resolve("machine.txt"), machine + "ended: " + Instant.now() + " ("
        + Duration.between(started, Instant.now()).toMinutes() + " min), load average "
        + loadAverage() + "\n");
    if (!summarised.isEmpty()) {
      String summary = Summarise.summary(summarised);
      Files.writeString(results.resolve("summary.txt"), summary);
      System.out.print("\n" + summary);
    }
  }

  private static List<String> hotOrder(int round) {
    return round % 2 == 1 ? List.of("library", "groupCommit") : List.of("groupCommit", "library");
  }

  /** One fork of one PostgreSQL benchmark, over {@code wallets} wallets. */
  private static Collection<RunResult> postgres(String method, String durability, int threads, String impl,
      int wallets, int warmups, int iterations, int seconds, Path statements) throws Exception {
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include("dev\\.creditgate\\.benchmarks\\.PostgresBenchmark\\." + method + "$")
        .param("durability", durability)
        .param("wallets", Integer.toString(wallets))
        .threads(threads)
        .forks(1)
        .warmupIterations(warmups)
        .warmupTime(TimeValue.seconds(seconds))
        .measurementIterations(iterations)
        .measurementTime(TimeValue.seconds(seconds))
        .jvmArgsAppend("-Dbench.jitWarmUp=" + Integer.getInteger("bench.jitWarmUp",
            Boolean.getBoolean("bench.smoke") ? 100 : PostgresBenchmark.JIT_WARM_UP_CHARGES),
            "-Dbench.statements=" + (statements == null ? "" : statements))
        .addProfiler(GCProfiler.class)
        .addProfiler(CpuProfiler.class);
    if (impl != null) {
      options.param("impl", impl);
    }
    return new Runner(options.build()).run();
  }

  private static void write(Path json, List<RunResult> all) throws IOException {
    Path partial = json.resolveSibling(json.getFileName() + ".part");
    try (PrintStream out = new PrintStream(Files.newOutputStream(partial), true, StandardCharsets.UTF_8)) {
      ResultFormatFactory.getInstance(ResultFormatType.JSON, out).writeOut(all);
    }
    Files.move(partial, json, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static List<String> list(String property, String otherwise) {
    return Arrays.stream(System.getProperty(property, otherwise).split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).toList();
  }

  /** The machine, the software and the date, as the results file records them. */
  static String machine(Instant started) throws Exception {
    StringBuilder s = new StringBuilder();
    s.append("started: ").append(started).append('\n');
    s.append("cores: ").append(Runtime.getRuntime().availableProcessors()).append('\n');
    s.append("memory: ").append(memTotal()).append('\n');
    s.append("uname -a: ").append(command("uname", "-a")).append('\n');
    s.append("jdk: ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append(" (").append(System.getProperty("java.vendor"))
        .append(")\n");
    s.append("jvm arguments of this runner: ").append(ManagementFactory.getRuntimeMXBean().getInputArguments())
        .append('\n');
    s.append("jmh: ").append(Version.getPlainVersion()).append('\n');
    s.append("postgresql: ").append(postgresVersion()).append('\n');
    String tmp = System.getProperty("java.io.tmpdir");
    s.append("postgresql data under ").append(tmp).append(": ").append(command("df", "-T", tmp)
        .lines().reduce((a, b) -> b).orElse("?")).append('\n');
    s.append("load average at start: ").append(loadAverage()).append('\n');
    s.append("commit: ").append(command("git", "rev-parse", "HEAD")).append(' ')
        .append(command("git", "status", "--porcelain").isEmpty() ? "(clean)" : "(with local changes)").append('\n');
    return s.toString();
  }

  private static String postgresVersion() {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
         Connection c = postgres.getPostgresDatabase().getConnection();
         Statement st = c.createStatement();
         ResultSet r = st.executeQuery("SELECT version()")) {
      r.next();
      return r.getString(1) + " (embedded, on this machine)";
    } catch (Exception e) {
      return "unknown (" + e + ")";
    }
  }

  private static String memTotal() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
          .map(l -> l.replaceAll("\\s+", " ")).findFirst().orElse("?");
    } catch (IOException e) {
      return "? (" + e.getMessage() + ")";
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  private static String command(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "? (" + out + ")";
    } catch (IOException | InterruptedException e) {
      return "? (" + e.getMessage() + ")";
    }
  }
}
