package cx.wip.vm.backend.local;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class GuardRulesTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"HostConfig\": {\"UsernsMode\": \"host\"}}",
            "{\"hostconfig\": {\"usernsmode\": \"host\"}}",
            "{\"HostConfig\": {\"U\u017fernsMode\": \"host\"}}",
            "{\"HostConfig\": {\"UsernsMode\": \"\", \"UsernsMode\": \"host\"}}",
            "{\"UsernsMode\": \"host\"}",
            "{\"HostConfig\": {\"UsernsMode\": \"host\"",
    })
    void aContainerInTheHostsUserNamespace_isRefused_howeverItIsSpelt(String body) {
        assertThat(GuardRules.refusal(request("POST", "/v1.41/containers/create?name=x", body)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("user namespace"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"Image\": \"busybox\", \"HostConfig\": {\"Binds\": [\"/:/host\"]}}",
            "{\"Image\": \"busybox\", \"HostConfig\": {\"UsernsMode\": \"\"}}",
            "{\"Image\": \"busybox\", \"HostConfig\": {\"UsernsMode\": null}}",
    })
    void otherContainers_passToTheEngine_whichRefusesWhatItRefusesItself(String body) {
        assertThat(GuardRules.refusal(request("POST", "/containers/create", body))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/plugins/pull", "/v1.41/plugins/create", "/plugins/evil/enable", "/plugins/evil/set",
                            "/plugins/evil:latest/upgrade", "/swarm/init", "/v1.43/swarm/join"})
    void plugInChanges_andSwarmMembership_areRefused(String path) {
        assertThat(GuardRules.refusal(request("POST", path + "?remote=x", "{}"))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/containers/json", "/plugins", "/_ping", "/info"})
    void reads_pass(String path) {
        assertThat(GuardRules.refusal(request("GET", path, null))).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aCreateWhoseBodyTheEngineDoesNotShow_isRefused() {
        assertThat(GuardRules.refusal(request("POST", "/containers/create", null))).isPresent();
    }

    private static ObjectNode request(String method, String uri, String body) {
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("RequestMethod", method).put("RequestUri", uri);
        if (body != null) {
            request.put("RequestBody", Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }
}
