package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's "Public types" counts are the module's: exported packages (from the module
 * descriptor), public types in them (nested ones too), and their public or protected members
 * (methods, constructors, fields), not counting {@code equals}, {@code hashCode}, {@code toString}
 * and an enum's {@code values}/{@code valueOf}. A change that grows or shrinks the API must say so.
 */
class PublicSurfaceTest {
  private static final Path CLASSES = Path.of("target/classes");
  private static final Set<String> OBJECT_METHODS = Set.of("equals", "hashCode", "toString");
  private static final Pattern COUNTS =
      Pattern.compile("(\\d+) exported packages, (\\d+) public types, (\\d+) public members");

  @Test
  void theReadmeStatesTheCountsOfTheModulesPublicSurface() throws Exception {
    ModuleDescriptor module;
    try (InputStream in = Files.newInputStream(CLASSES.resolve("module-info.class"))) {
      module = ModuleDescriptor.read(in);
    }
    Set<String> exported = new TreeSet<>();
    module.exports().forEach(e -> exported.add(e.source()));
    int types = 0;
    int members = 0;
    for (Class<?> type : classes()) {
      if (exported.contains(type.getPackageName()) && visible(type)) {
        types++;
        members += members(type);
      }
    }
    String readme = Files.readString(Path.of("../README.md"));
    Matcher m = COUNTS.matcher(readme);
    assertTrue(m.find(), "README.md states no '<n> exported packages, <n> public types, <n> public members'");
    assertEquals(List.of(exported.size(), types, members),
        List.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))),
        "exported packages, public types, public members of " + module.name() + " " + exported);
  }

  private static List<Class<?>> classes() throws IOException {
    try (Stream<Path> files = Files.walk(CLASSES)) {
      return files.map(CLASSES::relativize).map(Path::toString)
          .filter(p -> p.endsWith(".class") && !p.endsWith("module-info.class") && !p.endsWith("package-info.class"))
          .map(p -> p.substring(0, p.length() - ".class".length()).replace('/', '.'))
          .map(PublicSurfaceTest::load)
          .toList();
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, PublicSurfaceTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(name, e);
    }
  }

  private static boolean visible(Class<?> type) {
    for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
      if (t.isAnonymousClass() || t.isLocalClass() || !api(t.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  private static int members(Class<?> type) {
    int count = 0;
    for (Method m : type.getDeclaredMethods()) {
      boolean boilerplate = OBJECT_METHODS.contains(m.getName())
          || type.isEnum() && (m.getName().equals("values") || m.getName().equals("valueOf"));
      if (!m.isSynthetic() && !m.isBridge() && api(m.getModifiers()) && !boilerplate) {
        count++;
      }
    }
    for (Field f : type.getDeclaredFields()) {
      if (!f.isSynthetic() && api(f.getModifiers())) {
        count++;
      }
    }
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      if (!c.isSynthetic() && api(c.getModifiers())) {
        count++;
      }
    }
    return count;
  }

  private static boolean api(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }
}
