package cx.wip.policy.review;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated container-create bodies: each slot absent or allowed, at most one forbidden, keys in random case (including the
 * two non-ASCII letters Go folds onto ASCII), sometimes a case-variant duplicate. Whatever the mix: a body with
 * anything forbidden or duplicated is denied, and an allowed body passes with every field as sent — the only
 * changes are the documented ones (plan limits filled in, the platform's memory label).
 */
class CreateBodyPropertiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** slot: canonical key, in HostConfig or at the top, an allowed value, a forbidden value. */
    private record Slot(boolean inHostConfig, String key, String allowed, String forbidden) {
    }

    private static final List<Slot> SLOTS = List.of(
            new Slot(false, "Cmd", "[\"true\"]", null),
            new Slot(false, "Env", "[\"A=1\"]", null),
            new Slot(false, "WorkingDir", "\"/w\"", null),
            new Slot(false, "Labels", "{\"com.docker.compose.project\":\"p\"}", null),
            // beside a HostConfig object (always rendered) the daemon ignores it: dropped, never forwarded
            new Slot(false, "Privileged", "true", null),
            new Slot(false, "MacAddress", "\"02:42:ac:11:00:99\"", null),
            new Slot(true, "Privileged", "false", "true"),
            new Slot(true, "CapAdd", "[\"NET_BIND_SERVICE\"]", "[\"SYS_ADMIN\"]"),
            new Slot(true, "CapDrop", "[\"ALL\"]", null),
            new Slot(true, "NetworkMode", "\"bridge\"", "\"host\""),
            new Slot(true, "PidMode", "\"container:x\"", "\"host\""),
            new Slot(true, "IpcMode", "\"private\"", "\"host\""),
            new Slot(true, "UTSMode", "\"\"", "\"host\""),
            new Slot(true, "UsernsMode", "\"\"", "\"host\""),
            new Slot(true, "CgroupnsMode", "\"private\"", "\"host\""),
            new Slot(true, "Devices", "[]", "[{\"PathOnHost\":\"/dev/sda\",\"PathInContainer\":\"/dev/sda\"}]"),
            new Slot(true, "SecurityOpt", "[\"no-new-privileges\"]", "[\"seccomp=unconfined\"]"),
            new Slot(true, "MaskedPaths", "null", "[]"),
            new Slot(true, "Sysctls", "{\"net.core.somaxconn\":\"1024\"}", "{\"kernel.core_pattern\":\"|/x\"}"),
            new Slot(true, "CgroupParent", "\"\"", "\"/\""),
            new Slot(true, "OomKillDisable", "false", "true"),
            new Slot(true, "LogConfig", "{\"Type\":\"json-file\"}", "{\"Type\":\"syslog\"}"),
            new Slot(true, "Runtime", "\"runc\"", "\"evil\""),
            new Slot(true, "Binds", "[\"vol:/data\"]", "[\"/var/run/docker.sock:/s\"]"),
            new Slot(true, "VolumeDriver", "\"local\"", "\"nfs\""),
            new Slot(true, "Memory", "134217728", null),
            new Slot(true, "NanoCpus", "500000000", null),
            new Slot(true, "PidsLimit", "100", null),
            new Slot(true, "ReadonlyRootfs", "true", null),
            new Slot(true, "RestartPolicy", "{\"Name\":\"always\"}", null));

    /** Fields the policy adds to an allowed body, and nothing else. */
    private static final Set<String> DOCUMENTED = Set.of("HostConfig", "HostConfig.Memory", "HostConfig.MemorySwap",
            "HostConfig.NanoCpus", "HostConfig.PidsLimit", "HostConfig.ShmSize", "Labels",
            "Labels." + ContainerRules.MEMORY_LABEL);

    @Property(tries = 400)
    void forbiddenOrDuplicated_isDenied_allowed_passesAsSentPlusDocumentedRewrites(
            @ForAll @Size(30) List<@IntRange(max = 1) Integer> choices,
            @ForAll @IntRange(min = -1, max = 29) int forbiddenSlot, @ForAll long caseSeed,
            @ForAll boolean duplicate) throws Exception {
        Random random = new Random(caseSeed);
        Map<String, String> top = new LinkedHashMap<>();
        Map<String, String> hostConfig = new LinkedHashMap<>();
        top.put("Image", "\"x\"");
        boolean forbidden = false;
        for (int i = 0; i < SLOTS.size(); i++) {
            Slot slot = SLOTS.get(i);
            int choice = i == forbiddenSlot && slot.forbidden() != null ? 2 : choices.get(i);
            String value = choice == 1 ? slot.allowed() : choice == 2 ? slot.forbidden() : null;
            if (value == null) {
                continue;
            }
            forbidden |= choice == 2;
            (slot.inHostConfig() ? hostConfig : top).put(slot.key(), value);
        }
        boolean duplicated = duplicate && !hostConfig.isEmpty();
        String body = render(top, hostConfig, random, duplicated);

        Verdict verdict = TestPlans.REVIEWS.review(new Request("test", Request.Operation.CONTAINER_CREATE, "",
                body.getBytes(StandardCharsets.UTF_8), Optional.empty()));

        if (duplicated) {
            assertThat(verdict).as(body).isInstanceOf(Verdict.Deny.class);
            assertThat(((Verdict.Deny) verdict).status()).isEqualTo(400);
        } else if (forbidden) {
            assertThat(verdict).as(body).isInstanceOf(Verdict.Deny.class);
        } else {
            assertThat(verdict).as(body).isInstanceOf(Verdict.Allow.class);
            JsonNode out = JSON.readTree(((Verdict.Allow) verdict).body());
            assertPassedAsSent(out, top, hostConfig);
        }
    }

    private static void assertPassedAsSent(JsonNode out, Map<String, String> top, Map<String, String> hostConfig)
            throws Exception {
        List<String> sent = new ArrayList<>();
        for (Map.Entry<String, String> e : top.entrySet()) {
            if (e.getKey().equals("Privileged")) {
                assertThat(out.has("Privileged")).isFalse();
                assertThat(out.get("HostConfig").path("Privileged").asBoolean()).isFalse();
                continue;
            }
            sent.add(e.getKey());
            JSON.readTree(e.getValue()).fieldNames().forEachRemaining(inner -> sent.add(e.getKey() + "." + inner));
            assertThat(out.get(e.getKey())).as(e.getKey()).isEqualTo(withLabel(e.getKey(), JSON.readTree(e.getValue()),
                    out));
        }
        for (Map.Entry<String, String> e : hostConfig.entrySet()) {
            sent.add("HostConfig." + e.getKey());
            assertThat(out.get("HostConfig").get(e.getKey())).as(e.getKey()).isEqualTo(JSON.readTree(e.getValue()));
        }
        for (String path : paths(out)) {
            if (!sent.contains(path)) {
                assertThat(DOCUMENTED).as("undocumented change at " + path).contains(path);
            }
        }
        // without -m/--cpus a container shares the engine (issue 13); asked ones are within the plan
        assertThat(out.get("HostConfig").path("Memory").asLong()).isBetween(0L, 512L << 20);
        assertThat(out.get("HostConfig").path("NanoCpus").asLong()).isBetween(0L, 1_000_000_000L);
        assertThat(out.get("HostConfig").get("PidsLimit").longValue()).isBetween(1L, 256L);
    }

    private static JsonNode withLabel(String key, JsonNode sent, JsonNode out) {
        if (key.equals("Labels")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) sent).put(ContainerRules.MEMORY_LABEL,
                    out.get("Labels").get(ContainerRules.MEMORY_LABEL).asText());
        }
        return sent;
    }

    /** Keys of the top level, of HostConfig and of Labels, as "HostConfig.Memory". */
    private static List<String> paths(JsonNode out) {
        List<String> paths = new ArrayList<>();
        for (Iterator<String> it = out.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            paths.add(key);
            if (key.equals("HostConfig") || key.equals("Labels")) {
                out.get(key).fieldNames().forEachRemaining(inner -> paths.add(key + "." + inner));
            }
        }
        return paths;
    }

    private static String render(Map<String, String> top, Map<String, String> hostConfig, Random random,
                                 boolean duplicate) {
        StringBuilder json = new StringBuilder("{");
        top.forEach((key, value) -> json.append('"').append(mutate(key, random)).append("\":").append(value).append(','));
        json.append('"').append(mutate("HostConfig", random)).append("\":{");
        hostConfig.forEach((key, value) -> json.append('"').append(mutate(key, random)).append("\":").append(value)
                .append(','));
        if (duplicate) {
            Map.Entry<String, String> first = hostConfig.entrySet().iterator().next();
            json.append('"').append(first.getKey().toLowerCase()).append("\":")
                    .append(first.getValue()).append(',');
            json.append('"').append(first.getKey().toUpperCase()).append("\":").append(first.getValue()).append(',');
        }
        if (json.charAt(json.length() - 1) == ',') {
            json.setLength(json.length() - 1);
        }
        return json.append("}}").toString();
    }

    /** Random case per letter; 's' and 'k' sometimes become the non-ASCII letters Go folds onto them. */
    private static String mutate(String key, Random random) {
        StringBuilder out = new StringBuilder();
        for (char c : key.toCharArray()) {
            int roll = random.nextInt(10);
            char lower = Character.toLowerCase(c);
            if (lower == 's' && roll == 0) {
                out.append('\u017F');
            } else if (lower == 'k' && roll == 0) {
                out.append('\u212A');
            } else {
                out.append(roll < 5 ? Character.toUpperCase(c) : lower);
            }
        }
        return out.toString();
    }
}
