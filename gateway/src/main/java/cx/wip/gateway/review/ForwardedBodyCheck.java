package cx.wip.gateway.review;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The gateway's last, independent check of every reviewed body it forwards — defence in depth behind
 * policy-service. It knows only the short list of settings that reach the host (never a plan's limits) and refuses
 * the body when one is there, whatever the policy said: a policy bug must not become host root.
 * <p>
 * It reads the body as the daemon does (keys in any case; a duplicate is unreadable) and looks at HostConfig fields
 * both inside {@code HostConfig} and at the top level, where old API versions let the daemon read them too.
 */
public final class ForwardedBodyCheck {
    private static final List<String> NAMESPACES = List.of("NetworkMode", "PidMode", "IpcMode", "UTSMode",
            "UsernsMode", "CgroupnsMode");
    /** Capabilities that reach past the container: never added, whatever a plan allows. */
    private static final Set<String> HOST_CAPABILITIES = Set.of("ALL", "SYS_ADMIN", "SYS_MODULE", "SYS_RAWIO",
            "SYS_PTRACE", "SYS_BOOT", "SYS_TIME", "DAC_READ_SEARCH", "MAC_ADMIN", "MAC_OVERRIDE", "BPF", "PERFMON",
            "SYSLOG", "NET_ADMIN", "LINUX_IMMUTABLE", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_CONTROL", "CHECKPOINT_RESTORE",
            "SYS_RESOURCE", "SYS_NICE", "IPC_LOCK", "SYS_PACCT", "SYS_TTY_CONFIG", "LEASE", "AUDIT_READ");
    private static final Set<String> LOG_DRIVERS = Set.of("", "json-file", "local", "none");
    private static final Set<String> MOUNT_TYPES = Set.of("volume", "tmpfs");

    private ForwardedBodyCheck() {
    }

    /** @return what is unsafe in the body about to be forwarded, or empty when it may go */
    public static Optional<String> unsafe(Operation operation, byte[] body) {
        if (operation == Operation.BUILD || operation == Operation.IMAGE_PULL) {
            return Optional.empty(); // reviewed by their query; their bodies are not JSON
        }
        JsonNode document = FoldedJson.read(body);
        if (document == null || !document.isObject()) {
            return Optional.of("the body is not one JSON object with each key once (keys match in any case)");
        }
        return switch (operation) {
            case CONTAINER_CREATE -> container(document)
                    .or(() -> container(FoldedJson.get(document, "HostConfig")));
            case EXEC_CREATE -> FoldedJson.set(document, "Privileged") ? Optional.of("Privileged") : Optional.empty();
            case VOLUME_CREATE -> volume(document);
            case NETWORK_CREATE -> network(document);
            case CONTAINER_UPDATE, NETWORK_CONNECT, BUILD, IMAGE_PULL -> Optional.empty();
        };
    }

    /** HostConfig fields of a create body (the HostConfig object, or the top level for old API versions). */
    private static Optional<String> container(JsonNode hc) {
        if (!hc.isObject()) {
            return Optional.empty();
        }
        if (FoldedJson.set(hc, "Privileged")) {
            return Optional.of("HostConfig.Privileged");
        }
        for (String field : List.of("Devices", "DeviceCgroupRules", "DeviceRequests", "CgroupParent", "MaskedPaths",
                "ReadonlyPaths", "OomKillDisable")) {
            JsonNode value = FoldedJson.get(hc, field);
            boolean maskField = field.endsWith("Paths"); // an empty list unmasks /proc: anything but absent/null
            if (maskField ? !(value.isMissingNode() || value.isNull()) : FoldedJson.set(hc, field)) {
                return Optional.of("HostConfig." + field);
            }
        }
        for (String namespace : NAMESPACES) {
            if (FoldedJson.text(hc, namespace).trim().equalsIgnoreCase("host")) {
                return Optional.of("HostConfig." + namespace + "=host");
            }
        }
        for (JsonNode cap : FoldedJson.get(hc, "CapAdd")) {
            String name = cap.asText().toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
            if (HOST_CAPABILITIES.contains(name)) {
                return Optional.of("HostConfig.CapAdd " + name);
            }
        }
        for (JsonNode option : FoldedJson.get(hc, "SecurityOpt")) {
            String text = option.asText().toLowerCase(Locale.ROOT);
            if (text.contains("unconfined") || text.contains("disable") || text.startsWith("seccomp")
                    || text.startsWith("apparmor") || text.startsWith("label")) {
                return Optional.of("HostConfig.SecurityOpt " + option.asText());
            }
        }
        String runtime = FoldedJson.text(hc, "Runtime");
        if (!runtime.isEmpty() && !runtime.equals("runc")) {
            return Optional.of("HostConfig.Runtime " + runtime);
        }
        String driver = FoldedJson.text(hc, "VolumeDriver");
        if (!driver.isEmpty() && !driver.equals("local")) {
            return Optional.of("HostConfig.VolumeDriver " + driver);
        }
        if (!LOG_DRIVERS.contains(FoldedJson.text(FoldedJson.get(hc, "LogConfig"), "Type"))) {
            return Optional.of("HostConfig.LogConfig.Type");
        }
        return sysctls(hc).or(() -> binds(hc)).or(() -> mounts(hc));
    }

    private static Optional<String> sysctls(JsonNode hc) {
        for (var it = FoldedJson.get(hc, "Sysctls").fieldNames(); it.hasNext(); ) {
            String name = it.next();
            boolean namespaced = name.startsWith("net.") || name.startsWith("kernel.shm") || name.startsWith("kernel.msg")
                    || name.equals("kernel.sem") || name.startsWith("fs.mqueue.");
            if (!namespaced) {
                return Optional.of("HostConfig.Sysctls " + name);
            }
        }
        return Optional.empty();
    }

    /**
     * The daemon reads a bind's source as a host path when it is absolute, and as a volume name otherwise (refusing
     * names that are not valid); a spec without ':' is an anonymous volume at that target.
     */
    private static Optional<String> binds(JsonNode hc) {
        for (JsonNode bind : FoldedJson.get(hc, "Binds")) {
            String spec = bind.asText();
            if (spec.indexOf(':') > 0 && spec.startsWith("/")) {
                return Optional.of("HostConfig.Binds " + spec);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> mounts(JsonNode hc) {
        for (JsonNode mount : FoldedJson.get(hc, "Mounts")) {
            String type = FoldedJson.text(mount, "Type").toLowerCase(Locale.ROOT);
            if (!MOUNT_TYPES.contains(type)) {
                return Optional.of("HostConfig.Mounts Type " + (type.isEmpty() ? "(none)" : type));
            }
            JsonNode driver = FoldedJson.get(FoldedJson.get(mount, "VolumeOptions"), "DriverConfig");
            String name = FoldedJson.text(driver, "Name");
            if (FoldedJson.set(driver, "Options") || !(name.isEmpty() || name.equals("local"))) {
                return Optional.of("HostConfig.Mounts VolumeOptions.DriverConfig");
            }
        }
        return Optional.empty();
    }

    /** The local driver's options are mount(8) arguments: only a tmpfs volume has any business with them. */
    private static Optional<String> volume(JsonNode volume) {
        String driver = FoldedJson.text(volume, "Driver");
        if (!driver.isEmpty() && !driver.equals("local")) {
            return Optional.of("Driver " + driver);
        }
        JsonNode options = FoldedJson.get(volume, "DriverOpts");
        for (var it = options.fields(); it.hasNext(); ) {
            var option = it.next();
            String key = option.getKey().toLowerCase(Locale.ROOT);
            String value = option.getValue().asText().toLowerCase(Locale.ROOT);
            boolean tmpfs = (key.equals("type") || key.equals("device")) && value.equals("tmpfs");
            boolean sized = key.equals("o") && !value.contains("bind") && !value.contains("addr")
                    && !value.contains("/");
            if (!tmpfs && !sized) {
                return Optional.of("DriverOpts " + option.getKey());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> network(JsonNode network) {
        String driver = FoldedJson.text(network, "Driver");
        if (!driver.isEmpty() && !driver.equals("bridge")) {
            return Optional.of("Driver " + driver);
        }
        for (var it = FoldedJson.get(network, "Options").fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.contains("bridge.name") || name.contains("host_binding") || name.contains("parent")
                    || name.contains("gateway_mode")) {
                return Optional.of("Options " + name);
            }
        }
        return FoldedJson.set(network, "ConfigFrom") ? Optional.of("ConfigFrom") : Optional.empty();
    }
}
