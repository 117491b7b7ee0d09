package cx.wip.wipctl;

import picocli.CommandLine.Option;

/** Where tenants reach the gateway: only used to print ready-to-paste lines. */
final class GatewayOptions {
    @Option(names = "--gateway-tls", paramLabel = "HOST:PORT", defaultValue = "${env:WIP_GATEWAY_TLS:-localhost:2376}",
            description = "gateway mTLS address for the docker context (default: $WIP_GATEWAY_TLS or ${DEFAULT-VALUE})")
    String tls;

    @Option(names = "--gateway", paramLabel = "HOST:PORT", defaultValue = "${env:WIP_GATEWAY:-localhost:2375}",
            description = "gateway address for bearer-token / host-key use (default: $WIP_GATEWAY or ${DEFAULT-VALUE})")
    String plain;

    @Option(names = "--domain", defaultValue = "${env:WIP_DOMAIN:-wip.localhost}",
            description = "host-key domain: <key>.<domain> (default: $WIP_DOMAIN or ${DEFAULT-VALUE})")
    String domain;
}
