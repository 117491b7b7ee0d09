package cx.wip.gateway.review;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import cx.wip.gateway.identity.Tenant;

import static org.assertj.core.api.Assertions.assertThat;

/** Redaction of responses captured from a real dockerd 20.10 (resources under redact/). */
class RedactorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Tenant ALICE = new Tenant("t-1", "alice", "free");
    private static final PlanLimits FREE = new PlanLimits("free", 1.5, 512L << 20, 10, 2L << 30, 0, 0, 0);
    private final Redactor redactor = new Redactor(tenant -> Optional.of(FREE));

    private static byte[] fixture(RedactedKind kind) throws IOException {
        String name = kind.name().toLowerCase().replace('_', '-') + ".json";
        try (InputStream in = RedactorTest.class.getResourceAsStream("/redact/" + name)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @EnumSource(RedactedKind.class)
    void keepsEveryKey_soClientsStillParse(RedactedKind kind) throws IOException {
        byte[] original = fixture(kind);

        byte[] redacted = redactor.redact(ALICE, kind, original);

        assertThat(keys(JSON.readTree(redacted), "")).isEqualTo(keys(JSON.readTree(original), ""));
    }

    @ParameterizedTest
    @EnumSource(RedactedKind.class)
    void leavesNoHostPath(RedactedKind kind) throws IOException {
        String redacted = new String(redactor.redact(ALICE, kind, fixture(kind)), StandardCharsets.UTF_8);

        assertThat(redacted).doesNotContain("/var/lib/docker").doesNotContain("/var/run")
                .doesNotContain(kernel());
    }

    @Test
    void info_showsThePlan_andNoHostIdentity() throws IOException {
        JsonNode original = JSON.readTree(fixture(RedactedKind.INFO));
        JsonNode info = JSON.readTree(redactor.redact(ALICE, RedactedKind.INFO, fixture(RedactedKind.INFO)));

        assertThat(info.get("NCPU").intValue()).isEqualTo(2);
        assertThat(info.get("MemTotal").longValue()).isEqualTo(2L << 30);
        assertThat(info.get("Name").asText()).isEqualTo("alice");
        assertThat(info.get("ID").asText()).isEqualTo("wip-alice").isNotEqualTo(original.get("ID").asText());
        assertThat(info.get("OperatingSystem").asText()).isEqualTo("wip");
        assertThat(info.get("DockerRootDir").asText()).isEmpty();
        assertThat(info.get("RegistryConfig").get("InsecureRegistryCIDRs")).isEmpty();
        assertThat(info.get("Runtimes").size()).isEqualTo(1);
        assertThat(info.get("ServerVersion")).isEqualTo(original.get("ServerVersion"));
    }

    @Test
    void info_saysWhetherTheEngineIsAwake_whyAndWhenItSleeps() throws IOException {
        String words = "awake: 1 running container, last API call 0 s ago; sleeps in 15 min if nothing happens";
        JsonNode info = JSON.readTree(new Redactor(tenant -> Optional.of(FREE), tenant -> Optional.of(words))
                .redact(ALICE, RedactedKind.INFO, fixture(RedactedKind.INFO)));

        assertThat(info.get("Labels")).extracting(JsonNode::asText).contains("wip.engine.state=" + words);
        JsonNode unknown = JSON.readTree(redactor.redact(ALICE, RedactedKind.INFO, fixture(RedactedKind.INFO)));
        assertThat(unknown.get("Labels")).extracting(JsonNode::asText).noneMatch(l -> l.startsWith("wip.engine.state"));
    }

    @Test
    void info_showsZeroResources_whenThePlanCannotBeHad() throws IOException {
        JsonNode info = JSON.readTree(new Redactor(tenant -> Optional.empty())
                .redact(ALICE, RedactedKind.INFO, fixture(RedactedKind.INFO)));

        assertThat(info.get("NCPU").intValue()).isZero();
        assertThat(info.get("MemTotal").longValue()).isZero();
    }

    @Test
    void inspect_keepsTheVolumeName_hidesItsSource() throws IOException {
        JsonNode container = JSON.readTree(redactor.redact(ALICE, RedactedKind.CONTAINER_INSPECT,
                fixture(RedactedKind.CONTAINER_INSPECT)));

        assertThat(container.get("Mounts").get(0).get("Name").asText()).isEqualTo("wip-policy-fixture-vol");
        assertThat(container.get("Mounts").get(0).get("Source").asText()).isEmpty();
        assertThat(container.get("GraphDriver").get("Data")).isEmpty();
        assertThat(container.get("HostsPath").asText()).isEmpty();
    }

    @Test
    void passesErrorsThatAreNotJsonObjects_unchanged() {
        byte[] text = "page not found".getBytes(StandardCharsets.UTF_8);

        assertThat(redactor.redact(ALICE, RedactedKind.CONTAINER_INSPECT, text)).isSameAs(text);
    }

    private static String kernel() {
        try {
            return JSON.readTree(fixture(RedactedKind.INFO)).get("KernelVersion").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> keys(JsonNode node, String at) {
        Set<String> keys = new TreeSet<>();
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                keys.add(at + name);
                if (!name.equals("Data") && !name.equals("Runtimes")) {
                    keys.addAll(keys(node.get(name), at + name + "."));
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> keys.addAll(keys(element, at + "[].")));
        }
        return keys;
    }
}
