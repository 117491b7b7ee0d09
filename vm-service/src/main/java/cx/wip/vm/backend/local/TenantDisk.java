package cx.wip.vm.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.logging.Logger;
import java.util.stream.Stream;

import cx.wip.vm.spi.BackendException;

/**
 * A tenant's data root on an ext4 file system of its own: a sparse image file of the plan's disk size, loop-mounted
 * on the data root before dockerd starts, so images, containers and volumes together cannot outgrow the plan (the
 * tenant sees "No space left on device") nor fill the host's disk. Made once, on the first boot with a disk size;
 * grown (offline, before mounting) when the plan grows; never shrunk. Unmounted with the data root's other mounts
 * ({@link Mounts#unmountUnder}); the loop device goes with it ({@code mount -o loop} sets autoclear).
 */
final class TenantDisk {
    private static final Logger LOGGER = Logger.getLogger(TenantDisk.class.getName());
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(10);

    private TenantDisk() {
    }

    /**
     * Mounts the tenant's image on its data root, making or growing it to {@code planBytes} first.
     *
     * @return the image's size (the enforced limit), 0 when the tenant has no image (no disk size in its plan, or a
     *         data root made before it had one)
     */
    static long mount(TenantPaths tenant, long planBytes) {
        Path image = tenant.diskImage();
        if (!Files.exists(image)) {
            if (planBytes <= 0) {
                return 0;
            }
            if (hasData(tenant.dataRoot())) {
                LOGGER.warning(() -> "the data root of " + tenant.tenantId() + " predates disk limits: left unlimited");
                return 0;
            }
            create(image, planBytes);
        } else if (!mounted(tenant)) {
            // a lazily unmounted file system of the previous daemon may still hold the image: a second loop mount
            // (or a resize) of an image in use would corrupt it
            if (!awaitReleased(tenant, RELEASE_WAIT)) {
                throw new BackendException("the disk of " + tenant.tenantId() + " is still held by its previous "
                        + "engine; retry in a moment");
            }
            if (planBytes > size(tenant)) {
                grow(image, planBytes);
            }
        }
        if (!mounted(tenant)) {
            try {
                Files.createDirectories(tenant.dataRoot());
            } catch (IOException e) {
                throw new BackendException("cannot create " + tenant.dataRoot() + ": " + e.getMessage(), e);
            }
            Commands.ok("mount", "-o", "loop,noatime", image.toString(), tenant.dataRoot().toString());
        }
        return size(tenant);
    }

    /**
     * Waits until no loop device is backed by the tenant's image any more (the kernel detaches an autoclear loop
     * device once its lazily unmounted file system is released).
     *
     * @return whether it was released within {@code wait}
     */
    static boolean awaitReleased(TenantPaths tenant, Duration wait) {
        Path image = tenant.diskImage();
        long deadline = System.nanoTime() + wait.toNanos();
        while (Files.exists(image) && !Commands.run("losetup", "-j", image.toString()).output().isBlank()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** The size of the tenant's image, 0 when it has none. */
    static long size(TenantPaths tenant) {
        try {
            return Files.size(tenant.diskImage());
        } catch (IOException e) {
            return 0;
        }
    }

    /** Removes the image (after the data root was unmounted). */
    static void delete(TenantPaths tenant) {
        try {
            Files.deleteIfExists(tenant.diskImage());
        } catch (IOException e) {
            throw new BackendException("cannot remove " + tenant.diskImage() + ": " + e.getMessage(), e);
        }
    }

    /** Whether the data root is a mount point now (a dockerd that is being adopted has it mounted). */
    static boolean mounted(TenantPaths tenant) {
        String point = tenant.dataRoot().toAbsolutePath().toString();
        try (Stream<String> mounts = Files.lines(Path.of("/proc/self/mounts"))) {
            return mounts.map(line -> line.split(" ")).anyMatch(fields -> fields.length > 1
                                                                          && fields[1].equals(point));
        } catch (IOException e) {
            return false;
        }
    }

    /** A sparse file with ext4 in it (no reserved blocks: the whole size is the tenant's); renamed into place. */
    private static void create(Path image, long bytes) {
        Path partial = image.resolveSibling(image.getFileName() + ".partial");
        try {
            Files.createDirectories(image.getParent());
            Files.deleteIfExists(partial);
            Commands.ok("truncate", "-s", Long.toString(bytes), partial.toString());
            Commands.ok("mkfs.ext4", "-q", "-F", "-m", "0", "-E", "nodiscard", partial.toString());
            Files.move(partial, image, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BackendException("cannot make the disk image " + image + ": " + e.getMessage(), e);
        }
    }

    private static void grow(Path image, long bytes) {
        Commands.ok("truncate", "-s", Long.toString(bytes), image.toString());
        Commands.Result checked = Commands.run("e2fsck", "-f", "-p", image.toString());
        if (checked.exit() >= 4) {
            throw new BackendException("e2fsck of " + image + " failed: " + checked.output());
        }
        Commands.ok("resize2fs", image.toString());
        LOGGER.info(() -> "grew " + image + " to " + bytes + " bytes");
    }

    private static boolean hasData(Path dataRoot) {
        if (!Files.isDirectory(dataRoot)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dataRoot)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            return true;
        }
    }
}
