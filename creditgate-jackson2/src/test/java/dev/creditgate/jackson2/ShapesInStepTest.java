package dev.creditgate.jackson2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shapes have no Jackson in them, and both modules carry the same files, package apart (one
 * module cannot share a package with the other on the module path, and neither may depend on the
 * other's Jackson). This keeps the copies one: a change made to one module's shapes only fails here
 * until it is made to the other's.
 */
class ShapesInStepTest {
  /** Surefire runs in the module's folder; the sibling module is beside it. */
  private static final Path JACKSON3 = Path.of("../creditgate-jackson/src/main/java/dev/creditgate/jackson");
  private static final Path JACKSON2 = Path.of("src/main/java/dev/creditgate/jackson2");
  private static final List<String> SHAPE_FILES = List.of("Shape.java", "Node.java", "ShapeException.java",
      "Shapes.java");

  @Test
  void theShapeFilesAreTheSameInBothModulesButForThePackage() throws IOException {
    assertTrue(Files.isDirectory(JACKSON3), "creditgate-jackson's sources beside this module: " + JACKSON3.toAbsolutePath());
    for (String file : SHAPE_FILES) {
      String jackson3 = Files.readString(JACKSON3.resolve(file))
          .replaceFirst("(?m)^package dev\\.creditgate\\.jackson;$", "package dev.creditgate.jackson2;");
      assertEquals(jackson3, Files.readString(JACKSON2.resolve(file)), file);
    }
  }

  @Test
  void theShapeFilesUseNoJackson() throws IOException {
    for (String file : SHAPE_FILES) {
      String source = Files.readString(JACKSON2.resolve(file));
      assertTrue(!source.contains("import tools.jackson") && !source.contains("import com.fasterxml"), file);
    }
  }
}
