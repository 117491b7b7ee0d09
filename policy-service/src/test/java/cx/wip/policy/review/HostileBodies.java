package cx.wip.policy.review;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random request bodies in hostile shapes, from one seed: keys in any case (with the two non-ASCII letters Go folds
 * onto s and k), now and then a case-variant duplicate, mounts of every type carrying every kind of options, host
 * paths and the socket in several spellings, privileged flags, host namespaces, devices, capabilities, security
 * options, log drivers, volume and network driver options. Most values are harmless, so that bodies also pass.
 */
final class HostileBodies {
    private final Random random;

    HostileBodies(long seed) {
        random = new Random(seed);
    }

    String body(Request.Operation operation) {
        return switch (operation) {
            case CONTAINER_CREATE -> create();
            case CONTAINER_UPDATE -> struct(resources(new LinkedHashMap<>()));
            case EXEC_CREATE -> struct(fields("Cmd", "[\"id\"]", "Privileged", pick("false", "false", "null",
                    "true", "\"true\""), "User", pick("\"\"", "\"root\""), "Tty", "true"));
            case VOLUME_CREATE -> struct(fields("Name", "\"v\"", "Driver", pick("\"\"", "\"local\"", "\"local\"",
                    "\"nfs\"", "\"LOCAL\""), "DriverOpts", map("type", pick("\"tmpfs\"", "\"none\"", "\"nfs\""),
                    "device", pick("\"tmpfs\"", "\"/\"", "\":/export\""), "o", pick("\"size=1m\"", "\"bind\"",
                    "\"size=1m,uid=0\"", "\"addr=10.0.0.1\"")), "Labels", labels()));
            case NETWORK_CREATE -> struct(fields("Name", "\"n\"", "Driver", pick("\"bridge\"", "\"\"", "\"macvlan\""),
                    "Options", map("com.docker.network.driver.mtu", "\"1400\"", "com.docker.network.bridge.name",
                            "\"docker0\"", "parent", "\"eth0\""), "IPAM", struct(fields("Driver", pick("\"default\"",
                            "\"other\""), "Config", "[" + struct(fields("Subnet", pick("\"10.9.0.0/16\"",
                            "\"8.8.8.0/24\""))) + "]")), "Internal", pick("true", "false"), "Labels", labels()));
            case NETWORK_CONNECT -> struct(fields("Container", "\"x\"", "EndpointConfig", endpoint()));
            case BUILD, IMAGE_PULL -> throw new IllegalArgumentException(operation + " has no body");
        };
    }

    private String create() {
        Map<String, String> top = fields("Image", "\"x\"", "Labels", labels(), "Volumes", "{\"/data\":{}}",
                "Cmd", "[\"true\"]");
        if (random.nextInt(20) == 0) {
            top.put(pick("Privileged", "Binds", "Mounts"), pick("true", "[\"/:/h\"]", "[" + mount() + "]"));
        }
        Map<String, String> hc = fields(2, "VolumeDriver", pick("\"\"", "\"local\"", "\"local\"", "\"nfs\""),
                "Binds", list(() -> pick("\"vol:/data\"", "\"/srv/data:/data:ro,rshared\"",
                        "\"/:/host\"", "\"/var/run/docker.sock:/s\"", "\"/var/run/../run/docker.sock:/s\"",
                        "\"//run/docker.sock/:/s\"", "\"/data\"", "\"./rel:/x\"")),
                "Mounts", list(this::mount),
                "Tmpfs", map("/t", pick("\"\"", "\"size=0\"", "\"rw,size=1g\"", "\"size=10%\"", "\"mode=1777\"",
                        "\"nr_blocks=0,size=1m\"")));
        if (random.nextBoolean()) {
            // half the bodies are about mounts only, so that their hostile shapes also get through the rest
            top.put("HostConfig", struct(hc));
            return struct(top);
        }
        hc.putAll(fields(6, "Privileged", pick("false", "false", "null", "true"),
                "NetworkMode", namespace(), "PidMode", namespace(), "IpcMode", namespace(), "UTSMode", namespace(),
                "UsernsMode", namespace(), "CgroupnsMode", namespace(),
                "CapAdd", pick("[]", "[\"NET_BIND_SERVICE\"]", "[\"cap_chown\"]", "[\"SYS_ADMIN\"]", "\"ALL\""),
                "SecurityOpt", pick("[]", "[\"no-new-privileges\"]", "[\"seccomp=unconfined\"]",
                        "[\"apparmor:unconfined\"]", "[\"label=disable\"]", "[\"systempaths=unconfined\"]"),
                "MaskedPaths", pick("null", "null", "[]", "[\"/proc/kcore\"]"),
                "ReadonlyPaths", pick("null", "null", "[]"),
                "Runtime", pick("\"\"", "\"runc\"", "\"io.containerd.runsc.v1\""),
                "LogConfig", struct(fields("Type", pick("\"json-file\"", "\"local\"", "\"none\"", "\"\"", "\"syslog\"",
                        "\"fluentd\""), "Config", "{}")),
                "Sysctls", map("net.core.somaxconn", "\"1024\"", "kernel.core_pattern", "\"|/x\""),
                "OomScoreAdj", pick("0", "500", "-500"),
                "ShmSize", pick("0", "1048576", "1073741824", "-1")));
        resources(hc);
        top.put("HostConfig", struct(hc));
        return struct(top);
    }

    /** container.Resources: shared by create's HostConfig and the update body. */
    private Map<String, String> resources(Map<String, String> into) {
        into.putAll(fields("Memory", pick("0", "134217728", "4294967296", "-1"),
                "MemorySwap", pick("0", "-1", "-5", "134217728", "8589934592"),
                "NanoCpus", pick("0", "500000000", "4000000000"), "CpuQuota", pick("0", "-1", "400000"),
                "CpuPeriod", pick("0", "100000", "50000"), "PidsLimit", pick("0", "-1", "100", "100000", "null"),
                "Devices", pick("[]", "null", "[{\"PathOnHost\":\"/dev/sda\",\"PathInContainer\":\"/dev/sda\"}]"),
                "DeviceCgroupRules", pick("[]", "[\"c 1:3 mr\"]"),
                "DeviceRequests", pick("[]", "[{\"Count\":-1,\"Capabilities\":[[\"gpu\"]]}]"),
                "CgroupParent", pick("\"\"", "\"/\""), "OomKillDisable", pick("false", "true"),
                "Ulimits", "[" + struct(fields("Name", pick("\"nofile\"", "\"NPROC\"", "\"rtprio\""), "Soft",
                        pick("1024", "-1", "1048576"), "Hard", pick("1024", "-1", "1048576"))) + "]",
                "RestartPolicy", struct(fields("Name", pick("\"no\"", "\"always\"", "\"on-failure\"", "\"bogus\""),
                        "MaximumRetryCount", pick("0", "3", "99")))));
        return into;
    }

    private String mount() {
        Map<String, String> mount = new LinkedHashMap<>();
        mount.put("Type", pick("\"bind\"", "\"BIND\"", "\"Bind\"", "\"volume\"", "\"volume\"", "\"tmpfs\"",
                "\"tmpfs\"", "\"npipe\""));
        mount.put("Source", pick("\"/\"", "\"/srv\"", "\"/var/run/docker.sock\"", "\"/run//docker.sock/\"", "\"vol\"",
                "\"vol\"", "\"\""));
        mount.put("Target", "\"/m" + random.nextInt(1000) + "\"");
        mount.putAll(fields(2, "ReadOnly", "true",
                "BindOptions", struct(fields("Propagation", pick("\"rshared\"", "\"shared\"", "\"private\""))),
                "VolumeOptions", struct(fields(2, "DriverConfig", struct(fields(2, "Options", pick("{}", "null",
                                "{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/\"}",
                                "{\"o\":\"bind\",\"device\":\"/etc\"}"), "Name", pick("\"local\"", "\"\"", "\"nfs\""))),
                        "NoCopy", "true", "Labels", labels(), "Subpath", "\"x\"")),
                "TmpfsOptions", struct(fields("SizeBytes", pick("0", "1048576", "1073741824", "-1"), "Mode", "1777",
                        "Options", pick("[[\"noexec\"]]", "[[\"size\",\"0\"]]", "null")))));
        return struct(mount);
    }

    private String endpoint() {
        return struct(fields("Aliases", "[\"a\"]", "IPAMConfig", struct(fields("IPv4Address", pick("\"\"",
                "\"172.17.0.9\""))), "MacAddress", pick("\"\"", "\"02:42:ac:11:00:99\""), "DriverOpts", map("x", "\"y\"")));
    }

    private String labels() {
        return map("com.docker.compose.project", "\"p\"", "cx.wip.memory", "\"0\"", "wip.tenant", "\"other\"",
                "a", "\"b\"");
    }

    private String namespace() {
        return pick("\"\"", "\"private\"", "\"bridge\"", "\"container:x\"", "\"host\"", "\" HOST\"", "\"none\"");
    }

    /** The first pair, and each other with probability 1/3: most bodies carry a few fields, a few carry many. */
    private Map<String, String> fields(String... pairs) {
        return fields(3, pairs);
    }

    /** The first pair, and each other with probability 1/{@code oneIn}. */
    private Map<String, String> fields(int oneIn, String... pairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (i == 0 || random.nextInt(oneIn) == 0) {
                fields.put(pairs[i], pairs[i + 1]);
            }
        }
        return fields;
    }

    private String list(java.util.function.Supplier<String> element) {
        List<String> elements = new ArrayList<>();
        for (int i = random.nextInt(3); i >= 0; i--) {
            elements.add(element.get());
        }
        return "[" + String.join(",", elements) + "]";
    }

    /** A struct: keys in random case, sometimes a case-variant duplicate (the daemon would take the last). */
    private String struct(Map<String, String> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((key, value) -> {
            json.append(json.length() > 1 ? "," : "").append('"').append(mutate(key, true)).append("\":").append(value);
            if (random.nextInt(60) == 0) {
                json.append(",\"").append(mutate(key, true)).append("\":").append(value);
            }
        });
        return json.append('}').toString();
    }

    /** A Go map: keys are data, but a tenant may still send them in any case. */
    private String map(String... pairs) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (random.nextInt(3) == 0) {
                entries.put(random.nextInt(5) == 0 ? mutate(pairs[i], false) : pairs[i], pairs[i + 1]);
            }
        }
        StringBuilder json = new StringBuilder("{");
        entries.forEach((key, value) -> json.append(json.length() > 1 ? "," : "").append('"').append(key)
                .append("\":").append(value));
        return json.append('}').toString();
    }

    private String pick(String... values) {
        return values[random.nextInt(values.length)];
    }

    private String mutate(String key, boolean goFolds) {
        StringBuilder out = new StringBuilder();
        for (char c : key.toCharArray()) {
            int roll = random.nextInt(goFolds ? 12 : 4);
            char lower = Character.toLowerCase(c);
            if (lower == 's' && roll == 0 && goFolds) {
                out.append('\u017F');
            } else if (lower == 'k' && roll == 0 && goFolds) {
                out.append('\u212A');
            } else {
                out.append(roll % 4 == 1 ? Character.toUpperCase(c) : roll % 4 == 2 ? lower : c);
            }
        }
        return out.toString();
    }
}
