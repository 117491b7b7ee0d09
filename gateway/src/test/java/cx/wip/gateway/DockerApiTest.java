package cx.wip.gateway;

import cx.wip.gateway.proxy.Carriage;
import cx.wip.gateway.review.Operation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DockerApiTest {

    @Test
    void matchesWithAndWithoutVersionPrefix() {
        assertThat(DockerApi.match("GET", "/containers/json").route().name()).isEqualTo("containers.list");
        assertThat(DockerApi.match("GET", "/v1.41/containers/json").route().name()).isEqualTo("containers.list");
        assertThat(DockerApi.match("HEAD", "/_ping").route().name()).isEqualTo("ping");
    }

    @Test
    void imageNamesMaySpanSegments() {
        DockerApi.Match match = DockerApi.match("GET", "/v1.41/images/localhost:5000/team/app:1.0/json");
        assertThat(match.route().name()).isEqualTo("image.inspect");
        assertThat(match.params()).containsEntry("name", "localhost:5000/team/app:1.0");
        assertThat(DockerApi.match("DELETE", "/images/registry.example/a/b").params()).containsEntry("name", "registry.example/a/b");
        assertThat(DockerApi.match("GET", "/images/json").route().name()).isEqualTo("images.list");
    }

    @Test
    void carriesReviewStreamAndHijackFlags() {
        Route create = DockerApi.match("POST", "/v1.41/containers/create").route();
        assertThat(create.review()).isEqualTo(Operation.CONTAINER_CREATE);
        assertThat(create.lifecycle()).isEqualTo("create");
        assertThat(DockerApi.match("POST", "/containers/abc/attach").route().kind()).isEqualTo(Carriage.HIJACK);
        assertThat(DockerApi.match("POST", "/exec/abc/start").route().kind()).isEqualTo(Carriage.HIJACK);
        assertThat(DockerApi.match("POST", "/session").route().kind()).isEqualTo(Carriage.HIJACK);
        assertThat(DockerApi.match("GET", "/events").route().kind()).isEqualTo(Carriage.STREAM);
        assertThat(DockerApi.match("POST", "/containers/abc/wait").route().kind()).isEqualTo(Carriage.STREAM);
        assertThat(DockerApi.match("DELETE", "/containers/abc").params()).containsEntry("id", "abc");
    }

    @Test
    void swarmReadsAndLeaveAreTheEnginesOwn_initAndJoinAreRefusedWith503() {
        for (String path : new String[] {"/swarm", "/nodes", "/services", "/tasks", "/secrets", "/configs",
                "/swarm/unlockkey", "/services/x/logs", "/tasks/x"}) {
            assertThat(DockerApi.match("GET", "/v1.41" + path).route().refusal()).as(path).isNull();
        }
        for (String path : new String[] {"/swarm/leave", "/swarm/update", "/swarm/unlock", "/services/create",
                "/secrets/create", "/configs/x/update", "/nodes/x/update"}) {
            assertThat(DockerApi.match("POST", path).route().refusal()).as(path).isNull();
        }
        for (String path : new String[] {"/swarm/init", "/v1.41/swarm/init", "/swarm/join", "/v1.24/swarm/join",
                "/v1%2E41/swarm/%6Aoin"}) {
            GatewayException refusal = DockerApi.match("POST", path).route().refusal();
            assertThat(refusal).as(path).isNotNull();
            assertThat(refusal.status()).isEqualTo(503);
            assertThat(refusal.getMessage()).contains("swarm mode is not offered");
        }
    }

    @Test
    void pluginReadsAreForwarded_installingIsRefused() {
        assertThat(DockerApi.match("GET", "/v1.41/plugins").route().refusal()).isNull();
        assertThat(DockerApi.match("GET", "/v1.41/plugins/some/name:latest/json").route().refusal()).isNull();
        assertThat(DockerApi.match("DELETE", "/plugins/some/name").route().refusal()).isNull();
        assertThat(DockerApi.match("POST", "/plugins/x/disable").route().refusal()).isNull();
        for (String path : new String[] {"/plugins/pull", "/plugins/create", "/plugins/x/enable", "/plugins/a/b/set",
                "/plugins/x/upgrade", "/plugins/x/push"}) {
            assertThat(DockerApi.match("POST", path).route().refusal().status()).as(path).isEqualTo(403);
        }
        assertThat(DockerApi.match("GET", "/plugins/privileges").route().refusal().status()).isEqualTo(403);
    }

    @Test
    void containerNamesMaySpanSegments_likeTheEnginesNamePattern() {
        DockerApi.Match link = DockerApi.match("DELETE", "/v1.41/containers/parent/link");
        assertThat(link.route().name()).isEqualTo("container.remove");
        assertThat(link.params()).containsEntry("id", "parent/link");
        assertThat(DockerApi.match("GET", "/containers/a/b/json").route().name()).isEqualTo("container.inspect");
        assertThat(DockerApi.match("POST", "/containers/a/b/update").route().review())
                .isEqualTo(Operation.CONTAINER_UPDATE);
        assertThat(DockerApi.match("DELETE", "/containers/x/checkpoints/c").route().refusal().status()).isEqualTo(501);
        assertThat(DockerApi.match("POST", "/containers/x/copy").route().name()).isEqualTo("container.copy");
        assertThat(DockerApi.match("GET", "/volumes/a/b").route().name()).isEqualTo("volume.inspect");
    }

    @Test
    void unknownPaths_andKnownPathsWithAnotherMethod_are404PageNotFound_likeTheEngine() {
        for (String[] request : new String[][] {{"GET", "/v1.41/nothing"}, {"PUT", "/containers/json"},
                {"GET", "/containers/x/start"}, {"POST", "/swarm"}}) {
            assertThatThrownBy(() -> DockerApi.match(request[0], request[1])).as(request[1])
                    .isInstanceOfSatisfying(GatewayException.class, e -> {
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.getMessage()).isEqualTo("page not found");
                    });
        }
        assertThatThrownBy(() -> DockerApi.match("GET", "/containers//json")).isInstanceOf(GatewayException.class);
        assertThat(DockerApi.match("OPTIONS", "/v1.41/anything/at/all").route().name()).isEqualTo("options");
    }

    @Test
    void routesOnTheDecodedSegmentsTheDaemonRoutesOn() {
        DockerApi.Match match = DockerApi.match("GET", "/v1.41/images/busybox%40sha256:abc/json");
        assertThat(match.params()).containsEntry("name", "busybox@sha256:abc");
        assertThat(match.target().forwarded()).isEqualTo("/v1.41/images/busybox%40sha256:abc/json");
        assertThat(DockerApi.match("POST", "/v1%2E41/containers/cre%61te").route().review())
                .isEqualTo(Operation.CONTAINER_CREATE);
    }

    @Test
    void ambiguousTargetsAreRefusedWith400() {
        for (String path : new String[] {"/containers/create\u0080/start", "/containers/x%2F..%2Fcreate/start",
                "/containers/../create", "/containers/%2e%2E/json", "/containers/json/", "/containers/j%zzson",
                "/containers/x%00/json", "containers/json", "/containers/a b/json"}) {
            assertThatThrownBy(() -> DockerApi.match("POST", path)).as(path)
                    .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
        assertThatThrownBy(() -> RequestTarget.of("/containers/json", "a=\u00e9", false))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> RequestTarget.of("/containers/json", "", true))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
