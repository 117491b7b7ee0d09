package cx.wip.gateway;

import java.util.logging.Logger;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

/** Starts the gateway from {@code application.yaml} (section {@code gateway}), overridable by env/system properties. */
public final class GatewayMain {
    private static final Logger LOG = Logger.getLogger(GatewayMain.class.getName());

    private GatewayMain() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = Config.create();
        GatewayConfig gatewayConfig = GatewayConfig.create(config.get("gateway"));
        GatewayServer gateway = PlatformClients.configure(GatewayServer.builder().config(gatewayConfig), config,
                        gatewayConfig)
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "wip-gateway-shutdown"));
        LOG.info(() -> "wip gateway: Docker API on tcp://" + gateway.config().host() + ":" + gateway.port()
                + gateway.config().unixSocket().map(p -> " and unix://" + p).orElse("")
                + gateway.config().tls().map(t -> " and mTLS on port " + gateway.tlsPort()).orElse("")
                + ", daemon " + gateway.config().daemon() + ", admin on 127.0.0.1:" + gateway.adminPort());
    }
}
