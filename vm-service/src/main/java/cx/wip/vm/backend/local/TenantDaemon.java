package cx.wip.vm.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import cx.wip.vm.docker.DockerHttp;
import cx.wip.vm.spi.BackendException;

/**
 * One tenant's dockerd: started detached ({@code setsid}) inside the tenant's namespace with {@code nsenter --net}
 * (not {@code ip netns exec}, which remounts /sys and hides the cgroup mounts), so it outlives vm-service restarts
 * and is adopted through its pid file.
 */
final class TenantDaemon {
    private static final Logger LOGGER = Logger.getLogger(TenantDaemon.class.getName());
    private static final Duration PING = Duration.ofMillis(500);

    private final LocalConfig config;
    private final TenantNamespace namespace;

    TenantDaemon(LocalConfig config, TenantNamespace namespace) {
        this.config = config;
        this.namespace = namespace;
    }

    /** The pid of the tenant's live dockerd, if its pid file names one. */
    Optional<ProcessHandle> running(TenantPaths tenant) {
        try {
            long pid = Long.parseLong(Files.readString(tenant.pidFile()).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> isOurDockerd(p, tenant));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean answers(TenantPaths tenant) {
        return DockerHttp.of(tenant.dockerAddress()).ping(PING);
    }

    /** Starts dockerd and waits until it answers; on failure kills what was started and says why. */
    void start(TenantPaths tenant) {
        try {
            Files.createDirectories(tenant.stateDir());
            Files.createDirectories(tenant.dataRoot());
            Files.createDirectories(tenant.execRoot());
            Files.writeString(tenant.daemonJson(), daemonJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BackendException("cannot prepare " + tenant.stateDir() + ": " + e.getMessage(), e);
        }
        Process process;
        try {
            process = new ProcessBuilder(command(tenant))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(tenant.log().toFile()))
                    .start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new BackendException("cannot start dockerd for " + tenant.tenantId() + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + config.readyTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (answers(tenant)) {
                return;
            }
            if (!process.isAlive()) {
                kill(tenant);
                throw new BackendException("dockerd for " + tenant.tenantId() + " exited with " + process.exitValue()
                                           + ": " + logTail(tenant));
            }
            sleep(25);
        }
        kill(tenant);
        throw new BackendException("dockerd for " + tenant.tenantId() + " did not answer within "
                                   + config.readyTimeout().toMillis() + " ms: " + logTail(tenant));
    }

    /** Asks dockerd to stop (it stops its containers), then kills whatever is left of the tenant's processes. */
    void stop(TenantPaths tenant) {
        running(tenant).ifPresent(dockerd -> {
            dockerd.destroy();
            long deadline = System.nanoTime() + config.shutdownTimeout().plusSeconds(5).toNanos();
            while (dockerd.isAlive() && System.nanoTime() < deadline) {
                sleep(25);
            }
        });
        kill(tenant);
    }

    /** SIGKILLs every process of the tenant (namespace and containers) and lifts the mounts they left. */
    void kill(TenantPaths tenant) {
        for (int round = 0; round < 40; round++) {
            List<String> pids = new ArrayList<>(List.of(namespace.pids(tenant)));
            pids.addAll(TenantCgroup.pids(tenant));
            if (pids.isEmpty()) {
                break;
            }
            pids.forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly));
            sleep(50);
        }
        Mounts.unmountUnder(tenant.execRoot());
        Mounts.unmountUnder(tenant.dataRoot());
        if (!TenantDisk.awaitReleased(tenant, Duration.ofSeconds(10))) {
            LOGGER.warning(() -> "the disk image of " + tenant.tenantId() + " is still attached to a loop device");
        }
    }

    private List<String> command(TenantPaths tenant) {
        return List.of("setsid", "nsenter", "--net=" + tenant.namespaceFile(), "--",
                       config.dockerd(),
                       "--config-file", tenant.daemonJson().toString(),
                       "--data-root", tenant.dataRoot().toString(),
                       "--exec-root", tenant.execRoot().toString(),
                       "--pidfile", tenant.pidFile().toString(),
                       "--host", tenant.dockerAddress(),
                       "--cgroup-parent", "/" + tenant.cgroup(),
                       "--shutdown-timeout", Long.toString(Math.max(1, config.shutdownTimeout().toSeconds())),
                       "--log-level", "warn");
    }

    /** BuildKit may never give a build the host network or insecure entitlements (keys as moby's daemon/config). */
    private String daemonJson() {
        String registries = config.insecureRegistries().stream()
                .map(registry -> "\"" + registry.replace("\"", "") + "\"")
                .collect(Collectors.joining(", "));
        return """
                {
                  "builder": {"Entitlements": {"network-host": false, "security-insecure": false}},
                  "insecure-registries": [%s]
                }
                """.formatted(registries);
    }

    private static boolean isOurDockerd(ProcessHandle process, TenantPaths tenant) {
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return cmdline.contains("dockerd") && cmdline.contains(tenant.pidFile().toString());
        } catch (IOException e) {
            return false;
        }
    }

    private static String logTail(TenantPaths tenant) {
        try {
            List<String> lines = Files.readAllLines(tenant.log());
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted");
        }
    }
}
