package cx.wip.gateway.identity;

import java.util.Optional;

import cx.wip.gateway.GatewayException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderlessClientsTest {
    private static final MissingCredential MISSING = new MissingCredential(GrpcAuthenticator.NO_CREDENTIAL);

    @Test
    void buildSessionRoutes_withoutACredential_nameTheCauseAndTheFix() {
        for (String route : new String[] {"grpc", "session"}) {
            GatewayException refusal = HeaderlessClients.explain(MISSING, route, Optional.of("Docker-Client/28.2.2"));
            assertThat(refusal.status()).isEqualTo(401);
            assertThat(refusal.getMessage()).contains("moby/moby#45446").contains(HeaderlessClients.CERTIFICATE_PATH)
                    .doesNotContain("\n");
        }
    }

    @Test
    void buildKitsOwnPings_goUserAgent_getTheBuildRefusal() {
        assertThat(HeaderlessClients.explain(MISSING, "ping", Optional.of("Go-http-client/1.1")).getMessage())
                .contains("moby/moby#45446");
    }

    @Test
    void theCliComposeAndDockerPy_withoutACredential_keepTheUsualRefusal() {
        for (String agent : new String[] {"Docker-Client/28.2.2 (linux)", "compose/2.26.1", "docker-sdk-python/5.0.3"}) {
            assertThat(HeaderlessClients.explain(MISSING, "ping", Optional.of(agent))).isSameAs(MISSING);
        }
        assertThat(HeaderlessClients.explain(MISSING, "containers-list", Optional.empty())).isSameAs(MISSING);
    }
}
