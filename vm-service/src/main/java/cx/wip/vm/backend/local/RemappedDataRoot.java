package cx.wip.vm.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;

import cx.wip.vm.spi.BackendException;

/**
 * A remapped dockerd keeps everything in {@code <data root>/<uid>.<gid>/}; a data root made before remapping has it
 * at the top, where the remapped engine would not look (the tenant's images, volumes and containers would seem gone).
 * Such a data root is migrated once, before the first remapped start: its entries move into the remapped directory
 * (a rename on the same file system) and their owners into the tenant's range.
 */
final class RemappedDataRoot {
    private static final Logger LOGGER = Logger.getLogger(RemappedDataRoot.class.getName());
    private static final List<String> STAYS = List.of("lost+found");

    private RemappedDataRoot() {
    }

    static void migrate(TenantPaths tenant, SubordinateIds.Range range) {
        Path root = tenant.dataRoot();
        Path remapped = root.resolve(range.dataDir());
        Path partial = root.resolve(range.dataDir() + ".partial");
        if (Files.exists(remapped) || !Files.isDirectory(root.resolve("image")) && !Files.isDirectory(partial)) {
            return;
        }
        try {
            Files.createDirectories(partial);
            try (Stream<Path> entries = Files.list(root)) {
                for (Path entry : entries.toList()) {
                    String name = entry.getFileName().toString();
                    if (!entry.equals(partial) && !STAYS.contains(name) && !name.startsWith(".wip-")
                        && !name.matches("[0-9]+\\.[0-9]+(\\.partial)?")) {
                        Files.move(entry, partial.resolve(name));
                    }
                }
            }
            IdShift.shift(partial, range.first());
            // the rename last: an interrupted migration is found again (image/ still at the top, or in .partial)
            Files.move(partial, remapped);
        } catch (IOException e) {
            throw new BackendException("cannot migrate the data root of " + tenant.tenantId() + " to "
                                       + remapped + ": " + e.getMessage(), e);
        }
        LOGGER.info(() -> "migrated the data root of " + tenant.tenantId() + " into " + remapped);
    }
}
