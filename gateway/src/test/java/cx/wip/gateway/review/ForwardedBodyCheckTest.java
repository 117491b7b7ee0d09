package cx.wip.gateway.review;

import java.nio.charset.StandardCharsets;
import java.util.List;


import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's last check before a reviewed body is forwarded: host escapes are refused in any key case and any
 * place the daemon reads them, and ordinary bodies pass. That whatever policy-service allows passes too (no false
 * refusals) is a property in policy-service's tests ({@code ReviewedBodiesPropertiesTest}), which run the two together.
 */
class ForwardedBodyCheckTest {
    /** The issue-11 hole: what policy once made of a bind mount carrying volume options. */
    private static final String REWRITTEN_BIND = "{\"Image\":\"x\",\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\","
            + "\"Source\":\"wip_root_1a2b3c4d\",\"Target\":\"/host\",\"VolumeOptions\":{\"DriverConfig\":{\"Options\":"
            + "{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/\"}}}}]}}";

    @Example
    void theRewrittenBindWithDriverOptionsIsRefused() {
        assertThat(ForwardedBodyCheck.unsafe(Operation.CONTAINER_CREATE, bytes(REWRITTEN_BIND)))
                .hasValueSatisfying(field -> assertThat(field).contains("DriverConfig"));
    }

    @Example
    void escapesAreRefusedWhereverTheDaemonReadsThem() {
        List<String> creates = List.of(
                "{\"HostConfig\":{\"Privileged\":true}}",
                "{\"hostconfig\":{\"PRIVILEGED\":1}}",
                "{\"Privileged\":true}",
                "{\"HostConfig\":{\"Binds\":[\"/:/host\"]}}",
                "{\"HostConfig\":{\"binds\":[\"/var/run/docker.sock:/s\"]}}",
                "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"BIND\",\"Source\":\"/\",\"Target\":\"/h\"}]}}",
                "{\"HostConfig\":{\"mounts\":[{\"type\":\"volume\",\"Source\":\"v\",\"Target\":\"/h\","
                        + "\"volumeoptions\":{\"driverconfig\":{\"Name\":\"nfs\"}}}]}}",
                "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"npipe\",\"Source\":\"x\",\"Target\":\"/h\"}]}}",
                "{\"HostConfig\":{\"Mounts\":[{\"Target\":\"/h\"}]}}",
                "{\"HostConfig\":{\"NetworkMode\":\"host\"}}",
                "{\"HostConfig\":{\"pidmode\":\"HOST\"}}",
                "{\"HostConfig\":{\"CapAdd\":[\"cap_sys_admin\"]}}",
                "{\"HostConfig\":{\"SecurityOpt\":[\"seccomp=unconfined\"]}}",
                "{\"HostConfig\":{\"SecurityOpt\":[\"systempaths=unconfined\"]}}",
                "{\"HostConfig\":{\"MaskedPaths\":[]}}",
                "{\"HostConfig\":{\"Devices\":[{\"PathOnHost\":\"/dev/sda\"}]}}",
                "{\"HostConfig\":{\"Runtime\":\"runsc\"}}",
                "{\"HostConfig\":{\"CgroupParent\":\"/\"}}",
                "{\"HostConfig\":{\"Sysctls\":{\"kernel.core_pattern\":\"|/x\"}}}",
                "{\"HostConfig\":{\"LogConfig\":{\"Type\":\"syslog\"}}}",
                "{\"HostConfig\":{\"VolumeDriver\":\"nfs\"}}",
                "{\"HostConfig\":{\"Privileged\":false,\"privileged\":true}}",
                "{\"HostConfig\":{\"\u212Aernel\":1,\"Kernel\":2}}",
                "{\"HostConfig\":{}, \"hostConfig\":{}}",
                "not json", "[]", "{\"a\":1} {\"b\":2}");
        for (String body : creates) {
            assertThat(ForwardedBodyCheck.unsafe(Operation.CONTAINER_CREATE, bytes(body))).as(body).isPresent();
        }
        assertThat(ForwardedBodyCheck.unsafe(Operation.EXEC_CREATE, bytes("{\"privileged\":true}"))).isPresent();
        assertThat(ForwardedBodyCheck.unsafe(Operation.VOLUME_CREATE,
                bytes("{\"DriverOpts\":{\"Type\":\"none\",\"O\":\"bind\",\"Device\":\"/\"}}"))).isPresent();
        assertThat(ForwardedBodyCheck.unsafe(Operation.VOLUME_CREATE, bytes("{\"driver\":\"nfs\"}"))).isPresent();
        assertThat(ForwardedBodyCheck.unsafe(Operation.NETWORK_CREATE,
                bytes("{\"Driver\":\"macvlan\",\"Options\":{\"parent\":\"eth0\"}}"))).isPresent();
        assertThat(ForwardedBodyCheck.unsafe(Operation.NETWORK_CREATE,
                bytes("{\"Options\":{\"com.docker.network.bridge.name\":\"docker0\"}}"))).isPresent();
    }

    @Example
    void ordinaryBodiesPass() {
        List<String> creates = List.of(
                "{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"HostConfig\":{\"Binds\":[\"data:/data:rw\",\"/anon\"],"
                        + "\"Mounts\":[{\"Type\":\"tmpfs\",\"Target\":\"/t\",\"TmpfsOptions\":{\"SizeBytes\":1024}},"
                        + "{\"Type\":\"volume\",\"Source\":\"v\",\"Target\":\"/v\"}],\"CapAdd\":[\"NET_BIND_SERVICE\"],"
                        + "\"SecurityOpt\":[\"no-new-privileges\"],\"Sysctls\":{\"net.core.somaxconn\":\"1024\"},"
                        + "\"LogConfig\":{\"Type\":\"json-file\"},\"Privileged\":false,\"MaskedPaths\":null}}",
                "{\"Image\":\"x\",\"Labels\":{\"a\":\"1\",\"A\":\"2\"},\"HostConfig\":{\"Runtime\":\"runc\"}}");
        for (String body : creates) {
            assertThat(ForwardedBodyCheck.unsafe(Operation.CONTAINER_CREATE, bytes(body))).as(body).isEmpty();
        }
        assertThat(ForwardedBodyCheck.unsafe(Operation.VOLUME_CREATE, bytes("{\"Name\":\"v\",\"DriverOpts\":"
                + "{\"type\":\"tmpfs\",\"device\":\"tmpfs\",\"o\":\"size=64m,uid=1000\"}}"))).isEmpty();
        assertThat(ForwardedBodyCheck.unsafe(Operation.NETWORK_CREATE, bytes("{\"Name\":\"n\",\"Driver\":\"bridge\","
                + "\"Options\":{\"com.docker.network.driver.mtu\":\"1400\"}}"))).isEmpty();
        assertThat(ForwardedBodyCheck.unsafe(Operation.BUILD, new byte[0])).isEmpty();
    }

    /** A forbidden setting, in any key case, anywhere the daemon reads it, is refused — with anything benign around. */
    @Property(tries = 300)
    void aHostEscapeInAnyCaseIsRefused(@ForAll("escapes") String escape, @ForAll("benign") String benign,
                                       @ForAll boolean topLevel, @ForAll long seed) {
        String hostConfig = "{" + benign + (benign.isEmpty() ? "" : ",") + randomCase(escape, seed) + "}";
        String body = topLevel ? hostConfig : "{\"Image\":\"x\",\"" + randomCase("HostConfig", seed) + "\":"
                + hostConfig + "}";
        assertThat(ForwardedBodyCheck.unsafe(Operation.CONTAINER_CREATE, bytes(body))).as(body).isPresent();
    }

    @Provide
    Arbitrary<String> escapes() {
        return Arbitraries.of("\"Privileged\":true", "\"Binds\":[\"/:/host\"]", "\"Binds\":[\"/etc:/e:ro\"]",
                "\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":\"/h\"}]",
                "\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"v\",\"Target\":\"/h\",\"VolumeOptions\":"
                        + "{\"DriverConfig\":{\"Options\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/\"}}}}]",
                "\"NetworkMode\":\"host\"", "\"PidMode\":\"host\"", "\"IpcMode\":\"host\"", "\"UsernsMode\":\"host\"",
                "\"CapAdd\":[\"SYS_ADMIN\"]", "\"CapAdd\":[\"ALL\"]", "\"SecurityOpt\":[\"apparmor=unconfined\"]",
                "\"MaskedPaths\":[]", "\"ReadonlyPaths\":[]", "\"Devices\":[{\"PathOnHost\":\"/dev/mem\"}]",
                "\"DeviceCgroupRules\":[\"a *:* rwm\"]", "\"CgroupParent\":\"/\"", "\"Runtime\":\"runsc\"",
                "\"VolumeDriver\":\"nfs\"", "\"LogConfig\":{\"Type\":\"gelf\"}", "\"OomKillDisable\":true",
                "\"Sysctls\":{\"kernel.modprobe\":\"/x\"}");
    }

    @Provide
    Arbitrary<String> benign() {
        Arbitrary<String> field = Arbitraries.of("\"Memory\":268435456", "\"CapDrop\":[\"ALL\"]",
                "\"Binds\":[\"data:/data\"]", "\"Mounts\":[{\"Type\":\"tmpfs\",\"Target\":\"/t\"}]",
                "\"RestartPolicy\":{\"Name\":\"always\"}", "\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"8080\"}]}",
                "\"SecurityOpt\":[\"no-new-privileges\"]", "\"ReadonlyRootfs\":true", "\"Init\":true");
        return field.list().uniqueElements().ofMaxSize(3).map(list -> String.join(",", list));
    }

    /** Keys of the JSON text in a random case (values keep theirs: only the quoted key before a ':' changes). */
    private static String randomCase(String json, long seed) {
        java.util.Random random = new java.util.Random(seed);
        StringBuilder out = new StringBuilder();
        String[] parts = json.split("\"", -1);
        for (int i = 0; i < parts.length; i++) {
            boolean key = i % 2 == 1 && i + 1 < parts.length && parts[i + 1].startsWith(":");
            String part = parts[i];
            if (key) {
                StringBuilder mixed = new StringBuilder();
                for (char c : part.toCharArray()) {
                    mixed.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
                }
                part = mixed.toString();
            }
            out.append(i == 0 ? "" : "\"").append(part);
        }
        return out.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
