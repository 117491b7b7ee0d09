package cx.wip.vm.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;

import cx.wip.vm.spi.BackendException;
import cx.wip.vm.spi.TenantSpec;

/**
 * The cgroup parent of a tenant's containers ({@code dockerd --cgroup-parent}), carrying the plan's limits for all of
 * them together: memory and CPU (cgroup v1 controllers as mounted under {@code /sys/fs/cgroup}).
 */
final class TenantCgroup {
    private static final Logger LOGGER = Logger.getLogger(TenantCgroup.class.getName());
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final long CPU_PERIOD_MICROS = 100_000;

    private TenantCgroup() {
    }

    /**
     * Creates the parent in the memory and cpu controllers and writes the plan's limits; runc creates the parent in
     * the other controllers itself (and initialises cpuset from its parent, which an empty directory would not be).
     */
    static void apply(TenantPaths tenant, TenantSpec spec) {
        if (!Files.isDirectory(ROOT.resolve("memory")) || !Files.isDirectory(ROOT.resolve("cpu"))) {
            LOGGER.warning(() -> "no cgroup v1 memory/cpu controllers under " + ROOT + ": the plan's limits of "
                                 + tenant.tenantId() + " are not applied (cgroup v2 hosts are not supported yet)");
            return;
        }
        for (Path controller : List.of(ROOT.resolve("memory"), ROOT.resolve("cpu"))) {
            try {
                Files.createDirectories(controller.resolve(tenant.cgroup()));
            } catch (IOException e) {
                throw new BackendException("cannot create cgroup " + controller.resolve(tenant.cgroup()) + ": " + e, e);
            }
        }
        write(ROOT.resolve("memory").resolve(tenant.cgroup()).resolve("memory.limit_in_bytes"),
              spec.memoryBytes() > 0 ? Long.toString(spec.memoryBytes()) : "-1");
        Path cpu = ROOT.resolve("cpu").resolve(tenant.cgroup());
        write(cpu.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_MICROS));
        write(cpu.resolve("cpu.cfs_quota_us"),
              spec.cpus() > 0 ? Long.toString((long) (spec.cpus() * CPU_PERIOD_MICROS)) : "-1");
    }

    /** Pids of every process in the tenant's containers. */
    static List<String> pids(TenantPaths tenant) {
        Path pids = ROOT.resolve("pids").resolve(tenant.cgroup());
        if (!Files.isDirectory(pids)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(pids)) {
            return files.filter(file -> file.getFileName().toString().equals("cgroup.procs"))
                    .flatMap(TenantCgroup::lines)
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Freezes every process of the tenant's containers (cgroup v1 freezer on their parent: children freeze with it,
     * a container the user paused keeps its own FROZEN state when the parent thaws).
     *
     * @return whether they are frozen now (false: no freezer, no container cgroup yet, or it did not settle in time;
     *         the parent is thawed again then)
     */
    static boolean freeze(TenantPaths tenant, Duration settle) {
        Path state = ROOT.resolve("freezer").resolve(tenant.cgroup()).resolve("freezer.state");
        if (!Files.isRegularFile(state)) {
            return false;
        }
        write(state, "FROZEN");
        long deadline = System.nanoTime() + settle.toNanos();
        while (System.nanoTime() < deadline) {
            if ("FROZEN".equals(read(state))) {
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // a task in uninterruptible sleep can keep a cgroup FREEZING: leave it running rather than half frozen
        write(state, "THAWED");
        return false;
    }

    /** Thaws the tenant's container parent (nothing to do when it has none). */
    static void thaw(TenantPaths tenant) {
        Path state = ROOT.resolve("freezer").resolve(tenant.cgroup()).resolve("freezer.state");
        if (Files.isRegularFile(state) && !"THAWED".equals(read(state))) {
            write(state, "THAWED");
        }
    }

    /** Whether the tenant's container parent is frozen (for checks and status). */
    static boolean frozen(TenantPaths tenant) {
        return "FROZEN".equals(read(ROOT.resolve("freezer").resolve(tenant.cgroup()).resolve("freezer.state")));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Removes the tenant's cgroups (deepest first; cgroup directories are removed with rmdir, not their files). */
    static void remove(TenantPaths tenant) {
        for (Path controller : controllers()) {
            Path dir = controller.resolve(tenant.cgroup());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> tree = Files.walk(dir)) {
                tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder())
                        .forEach(d -> d.toFile().delete());
            } catch (IOException ignored) {
                // a busy cgroup stays; the next delete tries again
            }
            dir.getParent().toFile().delete();
        }
    }

    /** Memory limit currently written for the tenant (for checks), -1 when none. */
    static long memoryLimit(TenantPaths tenant) {
        try {
            return Long.parseLong(Files.readString(ROOT.resolve("memory").resolve(tenant.cgroup())
                                                          .resolve("memory.limit_in_bytes")).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static List<Path> controllers() {
        return Stream.of("memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "devices", "freezer", "systemd", "unified")
                .map(ROOT::resolve)
                .filter(Files::isDirectory)
                .toList();
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::strip).filter(line -> !line.isEmpty());
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static void write(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new BackendException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
