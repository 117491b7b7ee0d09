package cx.wip.ingress;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

import java.util.logging.Logger;

/** Starts ingress-service: gRPC on {@code server.port} (9104), on-demand TLS ask on socket {@code ask} (9114). */
public final class IngressMain {
    private IngressMain() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = Config.create();
        IngressServer server = IngressServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ingress-shutdown"));
        Logger.getLogger(IngressMain.class.getName()).info(() -> "ingress-service: gRPC on " + server.port()
                + ", ask on " + server.askPort());
    }
}
