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
    void swarmAndPluginsAreRefusedWithAMessage() {
        assertThat(DockerApi.match("POST", "/v1.41/swarm/init").route().refusal().status()).isEqualTo(501);
        assertThat(DockerApi.match("GET", "/services").route().refusal().getMessage()).contains("swarm mode is not offered");
        assertThat(DockerApi.match("POST", "/plugins/pull").route().refusal().status()).isEqualTo(403);
        assertThat(DockerApi.match("GET", "/v1.41/plugins/some/name/json").route().refusal().status()).isEqualTo(404);
    }

    @Test
    void unknownPathsAre404_knownPathsWithAnotherMethod405() {
        assertThatThrownBy(() -> DockerApi.match("GET", "/v1.41/nothing")).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> DockerApi.match("PUT", "/containers/json")).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.status()).isEqualTo(405));
        assertThatThrownBy(() -> DockerApi.match("GET", "/containers//json")).isInstanceOf(GatewayException.class);
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
