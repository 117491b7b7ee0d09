package cx.wip.vm.backend.proxmox;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.helidon.config.Config;

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
 * @param dockerTls    client TLS for the VM's Docker API (CA, certificate, key), absent = plain (tests)
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
                     Optional<DockerTls> dockerTls,
                     Optional<Path> apiCa,
                     Duration bootTimeout,
                     Duration pollInterval) {
    /**
     * @param ca          CA of the VM daemons' server certificates
     * @param certificate the gateway's client certificate
     * @param key         its key
     */
    record DockerTls(Path ca, Path certificate, Path key) {
    }

    static ProxmoxConfig create(Config config) {
        Optional<DockerTls> tls = config.get("docker-tls.ca").asString().map(ca -> new DockerTls(
                Path.of(ca),
                Path.of(config.get("docker-tls.cert").asString().get()),
                Path.of(config.get("docker-tls.key").asString().get())));
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
