package cx.wip.policy.review;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Verdict.Allow allow(Request.Operation operation, String body) {
        Verdict verdict = TestPlans.review(operation, body);
        assertThat(verdict).isInstanceOf(Verdict.Allow.class);
        return (Verdict.Allow) verdict;
    }

    private static JsonNode json(Verdict.Allow allow) throws Exception {
        return JSON.readTree(allow.body());
    }

    @Test
    void sharesTheEngine_whenNoLimitsAsked() throws Exception {
        // issue 13: a container without -m/--cpus reserves nothing; the tenant's engine is the hard cap
        JsonNode hc = json(allow(Request.Operation.CONTAINER_CREATE, "{\"Image\":\"x\"}")).get("HostConfig");

        assertThat(hc.path("Memory").asLong()).isZero();
        assertThat(hc.has("MemorySwap")).isFalse();
        assertThat(hc.has("NanoCpus")).isFalse();
        assertThat(hc.has("CpuQuota")).isFalse();
        assertThat(hc.get("PidsLimit").longValue()).isEqualTo(256);
        assertThat(hc.get("ShmSize").longValue()).isEqualTo(64L << 20);
    }

    @Test
    void clampsAboveThePlan_withAWarningEach() throws Exception {
        Verdict.Allow allow = allow(Request.Operation.CONTAINER_CREATE, "{\"Image\":\"x\",\"HostConfig\":{"
                + "\"Memory\":4294967296,\"MemorySwap\":-1,\"CpuQuota\":400000,\"CpuPeriod\":100000,"
                + "\"PidsLimit\":-1,\"ShmSize\":1073741824,\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":1048576,"
                + "\"Hard\":1048576}],\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":99},"
                + "\"Tmpfs\":{\"/run\":\"rw,size=1g\"}}}");
        JsonNode hc = json(allow).get("HostConfig");

        assertThat(hc.get("Memory").longValue()).isEqualTo(512L << 20);
        assertThat(hc.get("MemorySwap").longValue()).isEqualTo(512L << 20);
        assertThat(hc.get("CpuQuota").longValue()).isEqualTo(100_000L);
        assertThat(hc.get("CpuPeriod").longValue()).isEqualTo(100_000L);
        assertThat(hc.has("NanoCpus")).isFalse();
        assertThat(hc.get("PidsLimit").longValue()).isEqualTo(256);
        assertThat(hc.get("ShmSize").longValue()).isEqualTo(64L << 20);
        assertThat(hc.get("Ulimits").get(0).get("Soft").longValue()).isEqualTo(65536);
        assertThat(hc.get("RestartPolicy").get("MaximumRetryCount").intValue()).isEqualTo(99);
        assertThat(hc.get("Tmpfs").get("/run").asText()).isEqualTo("rw,size=64m");
        assertThat(allow.warnings()).hasSize(8).allMatch(w -> w.startsWith("wip: ") && w.contains("limited to"))
                .anyMatch(w -> w.contains("memory 4GiB is above plan test's 512MiB per container"));
    }

    @Test
    void keepsRequestsWithinThePlan_asSent() throws Exception {
        Verdict.Allow allow = allow(Request.Operation.CONTAINER_CREATE, "{\"Image\":\"x\",\"HostConfig\":{"
                + "\"Memory\":134217728,\"NanoCpus\":500000000,\"PidsLimit\":100}}");
        JsonNode hc = json(allow).get("HostConfig");

        assertThat(hc.get("Memory").longValue()).isEqualTo(134217728);
        assertThat(hc.get("NanoCpus").longValue()).isEqualTo(500000000);
        assertThat(hc.get("PidsLimit").longValue()).isEqualTo(100);
        assertThat(allow.warnings()).isEmpty();
    }

    @Test
    void tmpfsSizes_stayAsSent_whenWithinThePlan_andAreReplacedWithAWarningOtherwise() throws Exception {
        Verdict.Allow allow = allow(Request.Operation.CONTAINER_CREATE, "{\"Image\":\"x\",\"HostConfig\":{\"Tmpfs\":{"
                + "\"/a\":\"size=3M\",\"/b\":\"\",\"/c\":\"nr_blocks=0,size=1m\",\"/d\":\"size=10%,noexec\"}}}");
        JsonNode tmpfs = json(allow).get("HostConfig").get("Tmpfs");

        assertThat(tmpfs.get("/a").asText()).isEqualTo("size=3M");
        assertThat(tmpfs.get("/b").asText()).isEqualTo("size=64m");
        assertThat(tmpfs.get("/c").asText()).isEqualTo("size=64m,size=1m");
        assertThat(tmpfs.get("/d").asText()).isEqualTo("size=64m,noexec");
        assertThat(allow.warnings()).hasSize(3);
    }

    @Test
    void cpuLimits_keepTheClientsSpelling_andUpdatesCannotWidenAQuotaByItsPeriod() throws Exception {
        JsonNode quota = json(allow(Request.Operation.CONTAINER_CREATE,
                "{\"Image\":\"x\",\"HostConfig\":{\"CpuQuota\":50000}}")).get("HostConfig");
        Verdict.Allow period = allow(Request.Operation.CONTAINER_UPDATE, "{\"CpuPeriod\":1000}");
        Verdict.Allow quotaOnly = allow(Request.Operation.CONTAINER_UPDATE, "{\"CpuQuota\":100000}");

        assertThat(quota.get("CpuQuota").longValue()).isEqualTo(50000);
        assertThat(quota.has("NanoCpus")).isFalse();
        assertThat(json(period).get("CpuQuota").longValue()).isEqualTo(1000);
        assertThat(json(quotaOnly).get("CpuPeriod").longValue()).isEqualTo(100_000);
        assertThat(quotaOnly.warnings()).hasSize(1);
    }

    @Test
    void rewritesHostBinds_toStableNamedVolumes() throws Exception {
        String body = "{\"Image\":\"x\",\"Labels\":{\"com.docker.compose.project\":\"proj\"},\"HostConfig\":"
                + "{\"Binds\":[\"/home/u/proj/data:/data:rw,rshared\",\"named:/n\",\"/home/u/proj/conf:/c:ro\"],"
                + "\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/srv/x\",\"Target\":\"/x\","
                + "\"BindOptions\":{\"Propagation\":\"rshared\"}}]}}";
        Verdict.Allow first = allow(Request.Operation.CONTAINER_CREATE, body);
        Verdict.Allow again = allow(Request.Operation.CONTAINER_CREATE, body);
        JsonNode hc = json(first).get("HostConfig");

        assertThat(hc.get("Binds").get(0).asText()).matches("proj_data_[0-9a-f]{8}:/data:rw");
        assertThat(hc.get("Binds").get(1).asText()).isEqualTo("named:/n");
        assertThat(hc.get("Binds").get(2).asText()).matches("proj_conf_[0-9a-f]{8}:/c:ro");
        assertThat(hc.get("Mounts").get(0).get("Type").asText()).isEqualTo("volume");
        assertThat(hc.get("Mounts").get(0).get("Source").asText()).matches("proj_x_[0-9a-f]{8}");
        assertThat(hc.get("Mounts").get(0).has("BindOptions")).isFalse();
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(first.warnings()).hasSize(3).first().asString()
                .contains("\"/home/u/proj/data\" became the named volume \"proj_data_");
    }

    @Test
    void stripsReservedLabels_keepsComposeLabels_andStampsMemory() throws Exception {
        Verdict.Allow allow = allow(Request.Operation.CONTAINER_CREATE, "{\"Image\":\"x\",\"Labels\":{"
                + "\"com.docker.compose.service\":\"web\",\"cx.wip.memory\":\"1\",\"wip.route\":\"x\"}}");
        JsonNode labels = json(allow).get("Labels");

        assertThat(labels.get("com.docker.compose.service").asText()).isEqualTo("web");
        assertThat(labels.get("cx.wip.memory").asText()).isEqualTo("0"); // no -m: it shares the engine
        assertThat(labels.has("wip.route")).isFalse();
        assertThat(allow.warnings()).hasSize(2).allMatch(w -> w.contains("reserved by the platform"));
    }

    @Test
    void canonicalisesKeyCase_andDropsUnknownKeys() throws Exception {
        JsonNode body = json(allow(Request.Operation.CONTAINER_CREATE,
                "{\"image\":\"x\",\"CMD\":[\"true\"],\"NoSuchField\":1,\"hostconfig\":{\"autoremove\":true}}"));

        assertThat(body.get("Image").asText()).isEqualTo("x");
        assertThat(body.get("Cmd").get(0).asText()).isEqualTo("true");
        assertThat(body.has("NoSuchField")).isFalse();
        assertThat(body.get("HostConfig").get("AutoRemove").booleanValue()).isTrue();
    }

    @Test
    void allowsContainerNamespaces_forComposeServiceModes() {
        allow(Request.Operation.CONTAINER_CREATE, "{\"Image\":\"x\",\"HostConfig\":{\"NetworkMode\":\"container:abc\","
                + "\"PidMode\":\"container:abc\",\"IpcMode\":\"container:abc\"}}");
    }

    @Test
    void refusesCreate_beyondTheContainerQuota_withTheNumbers() {
        Verdict verdict = TestPlans.REVIEWS.review(new Request("test", Request.Operation.CONTAINER_CREATE, "",
                "{\"Image\":\"x\"}".getBytes(StandardCharsets.UTF_8), Optional.of(new Usage(3, 0))));

        assertThat(verdict).isEqualTo(new Verdict.Deny(409, "wip: plan test allows 3 containers that are not exited "
                + "and you have 3 — stop or remove one (docker stop, docker rm) before creating another; exited "
                + "containers do not count", "quota"));
    }

    @Test
    void refusesCreate_beyondTheMemoryQuota_withTheNumbers() {
        Verdict verdict = TestPlans.REVIEWS.review(new Request("test", Request.Operation.CONTAINER_CREATE, "",
                "{\"Image\":\"x\",\"HostConfig\":{\"Memory\":536870912}}".getBytes(StandardCharsets.UTF_8),
                Optional.of(new Usage(2, 768L << 20))));

        assertThat(verdict).isInstanceOf(Verdict.Deny.class);
        assertThat(((Verdict.Deny) verdict).message()).contains("512MiB would bring your containers to 1.25GiB; "
                + "plan test allows 1GiB in all");
    }

    @Test
    void updateLeavesUnaskedLimits_andClampsAskedOnes() throws Exception {
        Verdict.Allow restartOnly = allow(Request.Operation.CONTAINER_UPDATE,
                "{\"RestartPolicy\":{\"Name\":\"always\"}}");
        Verdict.Allow pids = allow(Request.Operation.CONTAINER_UPDATE, "{\"PidsLimit\":-1,\"Memory\":9999999999}");

        assertThat(json(restartOnly).size()).isEqualTo(1);
        assertThat(json(pids).get("PidsLimit").longValue()).isEqualTo(256);
        assertThat(json(pids).get("Memory").longValue()).isEqualTo(512L << 20);
        assertThat(pids.warnings()).hasSize(2);
    }

    @Test
    void refusesUnknownPlan() {
        Verdict verdict = TestPlans.REVIEWS.review(new Request("gold", Request.Operation.CONTAINER_CREATE, "",
                "{}".getBytes(StandardCharsets.UTF_8), Optional.empty()));

        assertThat(verdict).isEqualTo(new Verdict.Deny(403, "wip: plan \"gold\" is unknown to the policy service — "
                + "ask the operator to configure it", "unknown_plan"));
    }

    @Test
    void refusalNamesItsRule_theSettingInSnakeCase() {
        Verdict privileged = TestPlans.review(Request.Operation.CONTAINER_CREATE,
                "{\"Image\":\"x\",\"HostConfig\":{\"Privileged\":true}}");
        Verdict invalid = TestPlans.review(Request.Operation.CONTAINER_CREATE, "{\"Image\":");

        assertThat(((Verdict.Deny) privileged).rule()).isEqualTo("privileged");
        assertThat(((Verdict.Deny) invalid).rule()).isEqualTo("invalid_body");
        assertThat(Context.rule("mount type")).isEqualTo("mount_type");
        assertThat(Context.rule("volume-driver")).isEqualTo("volume_driver");
    }

    @Test
    void allowsPlainNetworksVolumesAndTmpfsVolumes() {
        allow(Request.Operation.NETWORK_CREATE, "{\"Name\":\"n\",\"Driver\":\"bridge\",\"IPAM\":{\"Config\":"
                + "[{\"Subnet\":\"172.30.0.0/24\"}]},\"Labels\":{\"com.docker.compose.network\":\"default\"}}");
        allow(Request.Operation.VOLUME_CREATE, "{\"Name\":\"v\",\"DriverOpts\":{\"type\":\"tmpfs\","
                + "\"device\":\"tmpfs\",\"o\":\"size=100m,uid=1000\"}}");
        allow(Request.Operation.EXEC_CREATE, "{\"Cmd\":[\"id\"],\"User\":\"root\"}");
    }
}
