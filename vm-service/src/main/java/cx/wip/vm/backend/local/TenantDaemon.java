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
import java.util.stream.Stream;

import cx.wip.docker.DockerEngine;
import cx.wip.vm.spi.BackendException;

/**
 * One tenant's dockerd: started detached ({@code setsid}) inside the tenant's namespace with {@code nsenter --net}
 * (not {@code ip netns exec}, which remounts /sys and hides the cgroup mounts), so it outlives vm-service restarts
 * and is adopted. With containment on, it runs remapped onto the tenant's subordinate ids ({@code --userns-remap}),
 * in its {@link PrivateView} of the host and behind the {@link EngineGuard}.
 */
final class TenantDaemon {
    private static final Logger LOGGER = Logger.getLogger(TenantDaemon.class.getName());
    private static final Duration PING = Duration.ofMillis(500);

    private final LocalConfig config;
    private final TenantNamespace namespace;
    private final PrivateView view;
    private final EngineGuard guard;

    /** {@code guard} null: no authorization plug-in (containment's guard switched off). */
    TenantDaemon(LocalConfig config, TenantNamespace namespace, EngineGuard guard) {
        this.config = config;
        this.namespace = namespace;
        this.view = new PrivateView(config);
        this.guard = guard;
    }

    /**
     * The tenant's live dockerd, found among the processes of its network namespace by its pid file argument (the
     * pid file itself holds dockerd's pid in its own pid namespace, meaningless on the host).
     */
    Optional<ProcessHandle> running(TenantPaths tenant) {
        return Stream.of(namespace.pids(tenant))
                .map(pid -> ProcessHandle.of(Long.parseLong(pid)))
                .flatMap(Optional::stream)
                .filter(ProcessHandle::isAlive)
                .filter(p -> isOurDockerd(p, tenant))
                .findFirst();
    }

    boolean answers(TenantPaths tenant) {
        return DockerEngine.of(tenant.dockerAddress(), PING).ping();
    }


    /**
     * Starts dockerd and waits until it answers; on failure kills what was started and says why.
     *
     * @param remap the tenant's subordinate ids, empty to run unmapped (the seed template)
     */
    void start(TenantPaths tenant, Optional<SubordinateIds.Range> remap) {
        try {
            // Left by a daemon that was killed (start follows kill, so nothing of the tenant runs now). Their numbers
            // come from the old engine's pid namespace: in the new one a low number is often a live process, and
            // dockerd would take it for its containerd and wait for that forever.
            Files.deleteIfExists(tenant.pidFile());
            Files.deleteIfExists(tenant.execRoot().resolve("containerd").resolve("containerd.pid"));
            Files.createDirectories(tenant.stateDir());
            Files.createDirectories(tenant.dataRoot());
            Files.createDirectories(tenant.execRoot());
            Files.writeString(tenant.daemonJson(), daemonJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BackendException("cannot prepare " + tenant.stateDir() + ": " + e.getMessage(), e);
        }
        Process process;
        try {
            process = new ProcessBuilder(command(tenant, remap))
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
                recordHostPid(tenant);
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

    /**
     * Asks dockerd to stop (it stops its containers), then kills whatever is left of the tenant's processes. Frozen
     * containers are thawed first: a frozen process neither stops nor dies.
     */
    void stop(TenantPaths tenant) {
        TenantCgroup.thaw(tenant);
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
        TenantCgroup.thaw(tenant);
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

    private List<String> command(TenantPaths tenant, Optional<SubordinateIds.Range> remap) {
        List<String> dockerd = new ArrayList<>(dockerd(tenant));
        remap.ifPresent(range -> dockerd.addAll(List.of("--userns-remap", range.user() + ":" + range.user())));
        List<String> command = new ArrayList<>(List.of("setsid", "nsenter", "--net=" + tenant.namespaceFile(), "--"));
        if (config.containment().privateView()) {
            if (guard != null) {
                dockerd.addAll(List.of("--authorization-plugin", EngineGuard.NAME));
            }
            Path script = tenant.stateDir().resolve("engine.sh");
            try {
                Files.writeString(script, view.script(tenant, guard == null ? null : guard.directory(), dockerd));
            } catch (IOException e) {
                throw new BackendException("cannot write " + script + ": " + e.getMessage(), e);
            }
            command.addAll(PrivateView.command(script));
        } else {
            command.addAll(dockerd);
        }
        return command;
    }

    private List<String> dockerd(TenantPaths tenant) {
        return List.of(config.dockerd(),
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

    /**
     * In its own pid namespace dockerd writes its pid there as that namespace numbers it; operators (and tests) read
     * the pid file on the host, so it gets the host's number once dockerd answers.
     */
    private void recordHostPid(TenantPaths tenant) {
        running(tenant).ifPresent(dockerd -> {
            try {
                Files.writeString(tenant.pidFile(), Long.toString(dockerd.pid()));
            } catch (IOException e) {
                LOGGER.warning(() -> "cannot write " + tenant.pidFile() + ": " + e.getMessage());
            }
        });
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
