package cx.wip.vm;

import java.util.logging.Logger;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

/** Starts vm-service from {@code application.yaml} (or the file named by {@code -Dconfig.file}). */
public final class VmMain {
    private static final Logger LOGGER = Logger.getLogger(VmMain.class.getName());

    private VmMain() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = Config.create();
        VmServer server = VmServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "vm-shutdown"));
        LOGGER.info(() -> "vm-service listening on port " + server.port());
    }
}
