package cx.wip.vm.backend.proxmox;

import java.net.http.HttpClient;
import java.time.Duration;

import io.helidon.config.Config;

import cx.wip.vm.spi.HypervisorBackend;
import cx.wip.vm.spi.HypervisorBackendProvider;

/** {@code vm.backend: proxmox}. */
public final class ProxmoxBackendProvider implements HypervisorBackendProvider {
    @Override
    public String name() {
        return "proxmox";
    }

    @Override
    public HypervisorBackend create(Config config) {
        ProxmoxConfig proxmox = ProxmoxConfig.create(config);
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        proxmox.apiCa().ifPresent(ca -> http.sslContext(PemTls.context(ca)));
        return new ProxmoxBackend(proxmox, new ProxmoxApi(proxmox, http.build()));
    }
}
