package cx.wip.vm.backend.local;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.stream.Collectors;

import cx.wip.vm.docker.DockerHttp;
import cx.wip.vm.spi.BackendException;

/**
 * Gives new tenant daemons the images listed in {@code seed.images}: exported once from the host daemon
 * ({@code GET /images/get}) into a tarball, loaded into each new daemon ({@code POST /images/load}) on its first boot.
 * Tenant daemons start empty and may have no registry to pull from.
 */
final class ImageSeeder {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final LocalConfig config;
    private final HostLock lock;
    private volatile Path tarball;

    ImageSeeder(LocalConfig config, HostLock lock) {
        this.config = config;
        this.lock = lock;
    }

    /** Loads the seed images into the tenant's daemon once per data root. */
    void seed(TenantPaths tenant) {
        if (config.seedImages().isEmpty() || Files.exists(tenant.seededMarker())) {
            return;
        }
        try {
            DockerHttp.Response response = DockerHttp.of(tenant.dockerAddress())
                    .post("/images/load?quiet=1", "application/x-tar", tarball(), TIMEOUT);
            if (response.status() != 200 || response.text().contains("errorDetail")) {
                throw new BackendException("loading seed images into " + tenant.tenantId() + " failed: "
                                           + response.status() + " " + response.text());
            }
            Files.writeString(tenant.seededMarker(), String.join("\n", config.seedImages()));
        } catch (IOException e) {
            throw new BackendException("loading seed images into " + tenant.tenantId() + " failed: " + e, e);
        }
    }

    private Path tarball() {
        Path ready = tarball;
        if (ready != null && Files.exists(ready)) {
            return ready;
        }
        return lock.with(() -> {
            Path target = config.stateDir().resolve(".seed-" + Integer.toHexString(config.seedImages().hashCode())
                                                    + ".tar");
            if (!Files.exists(target)) {
                export(target);
            }
            tarball = target;
            return target;
        });
    }

    private void export(Path target) {
        String names = config.seedImages().stream()
                .map(image -> "names=" + URLEncoder.encode(image, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            Files.createDirectories(target.getParent());
            Path partial = target.resolveSibling(target.getFileName() + ".part");
            int status = DockerHttp.of(config.hostDocker()).download("/images/get?" + names, partial, TIMEOUT);
            if (status != 200) {
                Files.deleteIfExists(partial);
                throw new BackendException("exporting seed images " + config.seedImages() + " from "
                                           + config.hostDocker() + " failed with status " + status);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new BackendException("exporting seed images from " + config.hostDocker() + " failed: " + e, e);
        }
    }
}
