package dev.creditgate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.creditgate.CreditGate;
import dev.creditgate.postgresql.JdbcWalletStore;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * creditgate as a JPMS user sees it: a client module is compiled with javac against the jars this
 * project depends on (found from the test's class path), then run in a child JVM with
 * {@code --module-path ... -m}. The clients' sources are under
 * {@code src/test/module-client/<module name>/}.
 */
class ModulePathClientTest {

  private static final Path SOURCES =
      Path.of(System.getProperty("basedir", ""), "src", "test", "module-client");
  private static final long RUN_TIMEOUT_SECONDS = 60;

  @TempDir Path work;

  @Test
  void aCoreOnlyClientRunsTheQuickStartWithoutJavaSql() throws Exception {
    List<Path> modulePath = List.of(jarOf(CreditGate.class), jarOf(org.slf4j.Logger.class));

    Run run = compileAndRun("dev.creditgate.client", "dev.creditgate.client.Main", modulePath);

    run.assertPrinted(
        "Charged 0.3, 29.7 left (OK)",
        "creditgate module: dev.creditgate",
        "java.sql in the boot layer: false");
  }

  @Test
  void aClientOfThePostgresqlStoreGetsJavaSql() throws Exception {
    List<Path> modulePath = List.of(jarOf(CreditGate.class), jarOf(JdbcWalletStore.class),
        jarOf(org.slf4j.Logger.class));

    Run run = compileAndRun("dev.creditgate.client.postgresql", "dev.creditgate.client.postgresql.Main",
        modulePath);

    run.assertPrinted(
        "dev.creditgate.postgresql.JdbcWalletStore in module dev.creditgate.postgresql",
        "javax.sql.DataSource in module java.sql",
        "java.sql in the boot layer: true");
  }

  @Test
  void aJacksonClientFindsTheModuleByItsProvidesClauseAndReadsTheShapesBack() throws Exception {
    List<Path> modulePath = List.of(jarOf(CreditGate.class), jarOf(org.slf4j.Logger.class),
        jarOf(dev.creditgate.jackson.CreditGateModule.class), jarOf(dev.creditgate.json.JsonShape.class),
        jarOf(tools.jackson.databind.json.JsonMapper.class), jarOf(tools.jackson.core.JsonParser.class),
        jarOf(com.fasterxml.jackson.annotation.JsonInclude.class));

    Run run = compileAndRun("dev.creditgate.client.json", "dev.creditgate.client.json.Main", modulePath);

    run.assertPrinted(
        "found creditgate in module dev.creditgate.jackson",
        "{\"decision\":\"allowed\",\"operation\":\"ai-chat-message\",\"quantity\":2000,\"cost\":\"0.3\","
            + "\"balanceBefore\":\"30\",\"balanceAfter\":\"29.7\",\"meter\":\"OK\",\"costBreakdown\":{"
            + "\"kind\":\"METERED\",\"units\":2000,\"base\":\"0.1\",\"rate\":\"0.1\",\"blockSize\":1000,"
            + "\"ratePart\":\"0.2\",\"roundedUp\":false,\"metered\":\"0.3\",\"share\":10000,"
            + "\"shareRoundedUp\":false,\"total\":\"0.3\"}}",
        "read back equal: true",
        "shapes in the boot layer: true");
  }

  /** What a child JVM printed, and the command that started it. */
  private record Run(String command, String stdout, String stderr) {
    void assertPrinted(String... lines) {
      assertEquals(List.of(lines), stdout.lines().collect(Collectors.toList()),
          () -> "stdout of " + command + report(stdout, stderr));
    }
  }

  /** Compiles the module's sources against {@code modulePath}, then runs {@code mainClass} in a child JVM. */
  private Run compileAndRun(String module, String mainClass, List<Path> modulePath)
      throws IOException, InterruptedException {
    Path classes = work.resolve(module);
    compile(SOURCES.resolve(module), classes, modulePath);

    List<Path> runPath = new ArrayList<>(modulePath);
    runPath.add(0, classes);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        List.of(java.toString(), "--module-path", join(runPath), "-m", module + "/" + mainClass);
    Path stdout = work.resolve(module + ".out");
    Path stderr = work.resolve(module + ".err");
    Process process = new ProcessBuilder(command)
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .start();
    if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      fail("still running after " + RUN_TIMEOUT_SECONDS + " s: " + String.join(" ", command)
          + report(readQuietly(stdout), readQuietly(stderr)));
    }
    Run run = new Run(String.join(" ", command), readQuietly(stdout), readQuietly(stderr));
    int exit = process.exitValue();
    assertEquals(0, exit,
        () -> "exit code " + exit + " from " + run.command() + report(run.stdout(), run.stderr()));
    return run;
  }

  private static void compile(Path sources, Path classes, List<Path> modulePath) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "no system Java compiler: run the tests on a JDK, not a JRE");
    List<String> args = new ArrayList<>(List.of(
        "--release", "17", "-Xlint:all", "-d", classes.toString(), "--module-path", join(modulePath)));
    try (Stream<Path> files = Files.walk(sources)) {
      files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted().forEach(args::add);
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int status = javac.run(null, output, output, args.toArray(String[]::new));
    assertEquals(0, status, () -> "javac exited with " + status + ": javac " + String.join(" ", args)
        + "\n--- javac output ---\n" + output.toString(StandardCharsets.UTF_8));
  }

  private static String report(String stdout, String stderr) {
    return "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")\n";
    }
  }

  /** The jar (or classes directory) the class was loaded from. */
  private static Path jarOf(Class<?> type) {
    try {
      Path path = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      assertTrue(Files.exists(path), () -> type.getName() + " was loaded from " + path + ", which is gone");
      return path;
    } catch (URISyntaxException e) {
      throw new AssertionError("no file location for " + type.getName(), e);
    }
  }

  private static String join(List<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }
}
