package cx.wip.auth;

import java.util.logging.Logger;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

/** Starts auth-service from {@code application.yaml} (section {@code auth}), environment and system properties. */
public final class AuthMain {
    private static final Logger LOGGER = Logger.getLogger(AuthMain.class.getName());

    private AuthMain() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        final AuthConfig config = AuthConfig.create(Config.create().get("auth"));
        final AuthServer server = AuthServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "auth-shutdown"));
        LOGGER.info("auth-service: Authenticate on " + config.host() + ":" + server.port()
                            + ", admin on " + config.adminHost() + ":" + server.adminPort()
                            + ", CA in " + config.ca().dir().toAbsolutePath());
    }
}
