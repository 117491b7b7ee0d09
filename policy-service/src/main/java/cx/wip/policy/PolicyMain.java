package cx.wip.policy;

import java.util.logging.Logger;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

/** Starts the policy service: {@code java -jar wip-policy-service.jar} with {@code application.yaml}. */
public final class PolicyMain {
    private static final Logger LOGGER = Logger.getLogger(PolicyMain.class.getName());

    private PolicyMain() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = Config.create();
        PolicyServer server = PolicyServer.start(config.get("policy"));
        LOGGER.info("policy-service listening on port " + server.port());
    }
}
