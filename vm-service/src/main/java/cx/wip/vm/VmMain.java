package cx.wip.vm;

import java.util.logging.Logger;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

import cx.wip.vm.backend.local.LocalBackend;
import cx.wip.vm.spi.HypervisorBackend;

/**
 * Starts vm-service from {@code application.yaml} (overridable by env/system properties). Two operator commands use
 * the same config without serving: {@code stop-all} stops every tenant daemon (data kept; the next request boots it
 * again), {@code teardown} deletes every tenant and, for the local backend, its bridge and firewall rules.
 */
public final class VmMain {
    private static final Logger LOGGER = Logger.getLogger(VmMain.class.getName());

    private VmMain() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = Config.create();
        String command = args.length > 0 ? args[0] : "serve";
        switch (command) {
            case "serve" -> serve(config);
            case "stop-all", "teardown" -> operate(command, config);
            default -> {
                System.err.println("usage: vm-service [serve | stop-all | teardown]");
                System.exit(2);
            }
        }
    }

    private static void serve(Config config) {
        VmServer server = VmServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "vm-shutdown"));
        LOGGER.info(() -> "vm-service listening on port " + server.port());
    }

    private static void operate(String command, Config root) {
        VmConfig config = VmConfig.create(root.get("vm"));
        try (HypervisorBackend backend = Backends.create(config.backend(), config.backendConfig())) {
            if (command.equals("stop-all")) {
                backend.tenants().forEach(backend::stop);
                // spares are nobody's: a later start boots new ones
                backend.spares().ifPresent(cx.wip.vm.spi.SpareEngines::discard);
            } else if (backend instanceof LocalBackend local) {
                local.teardown();
            } else {
                backend.tenants().forEach(backend::delete);
            }
        }
        LOGGER.info(() -> "vm-service " + command + ": done");
    }
}
