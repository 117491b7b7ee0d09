package cx.wip.vm.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** Lifts mounts a killed dockerd leaves under its roots (overlay layers, namespace files), deepest first. */
final class Mounts {
    private Mounts() {
    }

    static void unmountUnder(Path root) {
        String prefix = root.toAbsolutePath().toString();
        List<String> mountPoints;
        try {
            mountPoints = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .map(line -> line.split(" "))
                    .filter(fields -> fields.length > 1)
                    .map(fields -> fields[1].replace("\\040", " "))
                    .filter(point -> point.equals(prefix) || point.startsWith(prefix + "/"))
                    .distinct()
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .toList();
        } catch (IOException e) {
            return;
        }
        mountPoints.forEach(point -> Commands.run("umount", "-l", point));
    }
}
