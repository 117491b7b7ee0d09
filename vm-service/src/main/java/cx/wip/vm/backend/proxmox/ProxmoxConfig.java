package cx.wip.vm.backend.proxmox;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.helidon.config.Config;

import cx.wip.docker.DaemonTls;

/**
 * Configuration of the proxmox backend ({@code vm.backends.proxmox}).
 *
 * @param api          API base, {@code https://pve.example:8006/api2/json}
 * @param tokenId      {@code USER@REALM!TOKENID}
 * @param tokenSecret  the token's secret
 * @param node         node that holds the template and gets the clones
 * @param templateVmid the template's vmid
 * @param pool         resource pool for new VMs (optional)
 * @param namePrefix   VM names are {@code <prefix><tenant>}
 * @param disk         the VM disk that holds the tenant's Docker data, grown to the plan's disk size ({@code scsi0})
 * @param dockerPort   port of the VM's Docker API
 * @param dockerTls    client TLS for the VM's Docker API ({@code ca}, {@code cert}, {@code key}, {@code server-name}),
 *                     absent = plain (tests)
 * @param apiCa        CA of the Proxmox API's certificate, when not publicly trusted
 * @param bootTimeout  how long a clone + start + guest agent + Docker may take
 * @param pollInterval how often tasks and readiness are polled
 */
record ProxmoxConfig(URI api,
                     String tokenId,
                     String tokenSecret,
                     String node,
                     int templateVmid,
                     Optional<String> pool,
                     String namePrefix,
                     String disk,
                     int dockerPort,
                     Optional<DaemonTls> dockerTls,
                     Optional<Path> apiCa,
                     Duration bootTimeout,
                     Duration pollInterval) {
    static ProxmoxConfig create(Config config) {
        Optional<DaemonTls> tls = DaemonTls.create(config.get("docker-tls"));
        return new ProxmoxConfig(
                URI.create(required(config, "url").replaceAll("/+$", "")),
                required(config, "token-id"),
                required(config, "token-secret"),
                required(config, "node"),
                config.get("template-vmid").asInt()
                        .orElseThrow(() -> new IllegalArgumentException("vm.backends.proxmox.template-vmid is required")),
                config.get("pool").asString().filter(pool -> !pool.isBlank()),
                config.get("name-prefix").asString().orElse("wip-"),
                config.get("disk").asString().orElse("scsi0"),
                config.get("docker-port").asInt().orElse(2376),
                tls,
                config.get("api-ca").asString().map(Path::of),
                config.get("boot-timeout").as(Duration.class).orElse(Duration.ofMinutes(3)),
                config.get("poll-interval").as(Duration.class).orElse(Duration.ofSeconds(1)));
    }

    private static String required(Config config, String key) {
        return config.get(key).asString().filter(value -> !value.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("vm.backends.proxmox." + key + " is required"));
    }
}
