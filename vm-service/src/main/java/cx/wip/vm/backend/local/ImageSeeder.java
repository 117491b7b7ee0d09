package cx.wip.vm.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import cx.wip.docker.DaemonError;
import cx.wip.docker.DockerEngine;
import cx.wip.vm.spi.BackendException;

/**
 * Gives new tenant daemons the images listed in {@code seed.images}: tenant daemons start empty and may have no
 * registry to pull from. Loading a tarball into every new daemon cost ~0.5 s of each cold start, so the images are
 * loaded once into a template data root (by a throw-away dockerd in a namespace of its own), and each new tenant's
 * data root starts as a copy of the template's image store ({@code image/} and {@code overlay2/}).
 */
final class ImageSeeder {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final LocalConfig config;
    private final HostLock lock;
    private final TenantDaemon daemons;
    private final TenantNamespace namespaces;

    ImageSeeder(LocalConfig config, HostLock lock, TenantDaemon daemons, TenantNamespace namespaces) {
        this.config = config;
        this.lock = lock;
        this.daemons = daemons;
        this.namespaces = namespaces;
    }

    /** Before the tenant's first start: its data root begins as a copy of the template's image store. */
    void seed(TenantPaths tenant, Optional<SubordinateIds.Range> remap) {
        if (config.seedImages().isEmpty() || Files.exists(tenant.seededMarker())) {
            return;
        }
        Path template = template().dataRoot();
        Path engineRoot = remap.map(range -> tenant.dataRoot().resolve(range.dataDir())).orElse(tenant.dataRoot());
        try {
            Files.createDirectories(engineRoot);
        } catch (IOException e) {
            throw new BackendException("cannot create " + engineRoot + ": " + e.getMessage(), e);
        }
        Commands.ok("cp", "-a", "--reflink=auto", template.resolve("image").toString(),
                    template.resolve("overlay2").toString(), engineRoot + "/");
        remap.ifPresent(range -> {
            IdShift.shift(engineRoot.resolve("image"), range.first());
            IdShift.shift(engineRoot.resolve("overlay2"), range.first());
        });
        try {
            Files.writeString(tenant.seededMarker(), String.join("\n", config.seedImages()));
        } catch (IOException e) {
            throw new BackendException("cannot mark " + tenant.dataRoot() + " seeded: " + e.getMessage(), e);
        }
    }

    /** The template, made on first use (host lock held: other processes wait for the same template). */
    private TenantPaths template() {
        TenantPaths template = TenantPaths.of(config, "seed-" + Integer.toHexString(
                config.seedImages().hashCode() & 0x7fffffff));
        Path ready = template.dataRoot().resolve(".wip-template-ready");
        if (Files.exists(ready)) {
            return template;
        }
        return lock.with(() -> {
            if (!Files.exists(ready)) {
                build(template);
                try {
                    Files.writeString(ready, String.join("\n", config.seedImages()));
                } catch (IOException e) {
                    throw new BackendException("cannot mark the seed template ready: " + e.getMessage(), e);
                }
            }
            return template;
        });
    }

    private void build(TenantPaths template) {
        Path tarball = template.stateDir().resolve("images.tar");
        try {
            Files.createDirectories(template.stateDir());
            export(tarball);
            Commands.ok("ip", "netns", "add", template.namespace());
            daemons.start(template, Optional.empty());
            try {
                DockerEngine.of(template.dockerAddress(), TIMEOUT).load(tarball);
            } catch (DaemonError e) {
                throw new BackendException("loading seed images failed: " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new BackendException("building the seed template failed: " + e.getMessage(), e);
        } finally {
            daemons.stop(template);
            namespaces.delete(template);
            TenantCgroup.remove(template);
            Commands.run("rm", "-rf", "--one-file-system", template.stateDir().toString());
        }
    }

    private void export(Path target) throws IOException {
        try {
            DockerEngine.of(config.hostDocker(), TIMEOUT).save(config.seedImages(), target);
        } catch (DaemonError e) {
            throw new BackendException("exporting seed images " + config.seedImages() + " from "
                                       + config.hostDocker() + " failed: " + e.daemonMessage(), e);
        }
    }
}
