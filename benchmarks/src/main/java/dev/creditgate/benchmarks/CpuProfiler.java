package dev.creditgate.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * What each measured operation cost in CPU, on the client and on the server, and how much of the
 * machine the hypervisor took meanwhile: three secondary results of every iteration of a benchmark
 * that reads the clocks at its iteration's start and end ({@link #iterationStarts()},
 * {@link #iterationEnds()}; {@link PostgresBenchmark} does), from Linux's {@code /proc}.
 *
 * <ul>
 *   <li>{@code ·cpu.client}: microseconds of CPU per operation of the benchmark's JVM (all of its
 *       threads: the callers, the JIT and the collector);
 *   <li>{@code ·cpu.server}: microseconds of CPU per operation of every process named
 *       {@code postgres} on the machine (each backend, the WAL writer, the checkpointer,
 *       autovacuum), including those that ended during the iteration (their time is in their
 *       parent's {@code cutime} and {@code cstime} once reaped). The benchmarks start one server
 *       per fork; a machine running another PostgreSQL is not a benchmark machine;
 *   <li>{@code ·steal}: the share of the machine's CPU time (every core) that the hypervisor gave
 *       to others while this VM wanted it, in percent ({@code /proc/stat}'s {@code steal}).
 * </ul>
 *
 * <p>The CPU an operation costs the server is what a server's throughput per core is made of;
 * measured beside the throughput, with the steal, it tells what a figure cost from what its
 * neighbours took (on a VM whose host steals, it moves too, less than throughput does). Process
 * times come in clock ticks ({@value #TICKS_PER_SECOND} a second on Linux), each process's rounded
 * by up to one: over a 3-second iteration a figure is exact to about 1% in the mean.
 */
public final class CpuProfiler implements InternalProfiler {
  /** {@code getconf CLK_TCK} on every Linux this runs on (the kernel's USER_HZ). */
  static final int TICKS_PER_SECOND = 100;
  /** What JMH's own profilers put before a secondary result's name (a middle dot). */
  static final String PREFIX = "\u00b7";

  /**
   * The readings at the start and the end of the iteration running now, taken by the benchmark
   * itself ({@link #iterationStarts()}, {@link #iterationEnds()} from its {@code Level.Iteration}
   * set-up and tear-down): JMH calls a profiler before the first iteration's trial set-up and after
   * the last one's tear-down, so readings of its own would count starting and stopping the server.
   */
  private static volatile long[] start;
  private static volatile long[] end;

  /** Reads the clocks as the iteration's measured work is about to start. */
  static void iterationStarts() {
    end = null;
    start = read();
  }

  /** Reads the clocks as the iteration's measured work has ended. */
  static void iterationEnds() {
    end = read();
  }

  /** The client's CPU (ns), the server's (ticks), the machine's total and steal ticks. */
  private static long[] read() {
    long[] machine = machineTicks();
    return new long[] {clientNanos(), serverTicks(), machine[0], machine[1]};
  }

  @Override
  public String getDescription() {
    return "CPU per operation of this JVM and of the PostgreSQL processes, and the hypervisor's steal";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    start = null;
    end = null;
  }

  /** The iteration's three results, or none if the benchmark did not read the clocks. */
  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    long[] from = start;
    long[] to = end;
    long ops = result.getMetadata().getMeasuredOps();
    if (from == null || to == null || ops <= 0) {
      return List.of();
    }
    long total = to[2] - from[2];
    double steal = total > 0 ? 100.0 * (to[3] - from[3]) / total : Double.NaN;
    return List.of(
        new ScalarResult(PREFIX + "cpu.client", (to[0] - from[0]) / 1_000.0 / ops, "us/op", AggregationPolicy.AVG),
        new ScalarResult(PREFIX + "cpu.server", (to[1] - from[1]) * (1_000_000.0 / TICKS_PER_SECOND) / ops, "us/op",
            AggregationPolicy.AVG),
        new ScalarResult(PREFIX + "steal", steal, "%", AggregationPolicy.AVG));
  }

  private static long clientNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** User and system ticks of every live {@code postgres} process and of its reaped children. */
  static long serverTicks() {
    long ticks = 0;
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : processes) {
        ticks += postgresTicks(process);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc: " + e.getMessage(), e);
    }
    return ticks;
  }

  private static long postgresTicks(Path process) {
    String stat;
    try {
      stat = Files.readString(process.resolve("stat"));
    } catch (IOException e) {
      return 0; // it ended between the listing and the read: its parent has its time
    }
    return postgresTicks(stat);
  }

  /**
   * The ticks of one {@code /proc/<pid>/stat} line: {@code utime + stime + cutime + cstime} when
   * its command is {@code postgres}, else 0. The command is in parentheses and may hold spaces, so
   * the fields are counted from its closing parenthesis.
   */
  static long postgresTicks(String stat) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < open || !stat.substring(open + 1, close).equals("postgres")) {
      return 0;
    }
    // After ")": state(3) ppid(4) pgrp(5) session(6) tty(7) tpgid(8) flags(9) minflt(10) cminflt(11)
    // majflt(12) cmajflt(13) utime(14) stime(15) cutime(16) cstime(17).
    String[] fields = stat.substring(close + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
        + Long.parseLong(fields[14]);
  }

  /** The machine's total ticks (every state of every core) and its steal ticks, from {@code /proc/stat}. */
  private static long[] machineTicks() {
    String cpu;
    try (var lines = Files.lines(Path.of("/proc/stat"))) {
      cpu = lines.findFirst().orElseThrow();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/stat: " + e.getMessage(), e);
    }
    // cpu user nice system idle iowait irq softirq steal [guest guest_nice: already in user and nice]
    String[] fields = cpu.trim().split("\\s+");
    long total = 0;
    for (int i = 1; i <= 8; i++) {
      total += Long.parseLong(fields[i]);
    }
    return new long[] {total, Long.parseLong(fields[8])};
  }
}
