package cx.wip.gateway.identity;

import java.util.Optional;
import java.util.Set;

import cx.wip.gateway.GatewayException;

/**
 * Build clients that cannot send a bearer token. buildx ({@code docker build} on CLI 23+) and {@code compose build}
 * leave the {@code HttpHeaders} of {@code config.json} out of their own calls — the {@code /grpc} and
 * {@code /session} upgrades and the pings before them (moby/moby#45446, open upstream) — so a token tenant's build
 * arrives without a credential. Such a refusal names that cause and the fix (a client certificate, which the tenant
 * can get with its token) instead of telling the user to add a header they already have.
 */
public final class HeaderlessClients {
    /** The self-service endpoint that turns a token into a client certificate bundle. */
    public static final String CERTIFICATE_PATH = "/wip/v1/credentials/client-certificate";
    static final String BUILD_WITHOUT_HEADERS = "authentication required: docker build (buildx/BuildKit) and compose "
            + "build do not send the bearer token of config.json HttpHeaders (moby/moby#45446); build through a docker "
            + "context with a client certificate instead — get one with your token: curl -X POST -H \"Authorization: "
            + "Bearer $TOKEN\" <this endpoint>" + CERTIFICATE_PATH + " (see the wip README, tenant quick start)";
    private static final Set<String> BUILD_SESSION_ROUTES = Set.of("session", "grpc");
    /** Go's default User-Agent: the docker CLI, compose and docker-py all send their own, BuildKit's dialer does not. */
    private static final String GO_DEFAULT_AGENT = "Go-http-client/";

    private HeaderlessClients() {
    }

    /** The refusal to send for a request without a credential on {@code route} from {@code userAgent}. */
    public static GatewayException explain(MissingCredential missing, String route, Optional<String> userAgent) {
        if (BUILD_SESSION_ROUTES.contains(route) || userAgent.filter(a -> a.startsWith(GO_DEFAULT_AGENT)).isPresent()) {
            return new GatewayException(401, BUILD_WITHOUT_HEADERS);
        }
        return missing;
    }
}
