package cx.wip.policy.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * HostConfig fields at the top of a container create body, read the way the daemon reads them (moby's
 * {@code runconfig.ContainerConfigWrapper}, which embeds a deprecated second HostConfig at the top level).
 * <p>
 * When the body has a {@code HostConfig} object, the daemon uses that one and takes from the top level only
 * Memory, MemorySwap, CpuShares, CpusetCpus and VolumeDriver, each where the inner one leaves it unset; every other
 * top-level HostConfig field is ignored — docker-py (compose v1) sends {@code Runtime} both inside and at the top.
 * Without a {@code HostConfig} object, the top-level fields are the HostConfig. Either way the result is moved into
 * {@code HostConfig}, where the rules review it, and nothing is left at the top for a reader to miss.
 */
final class EmbeddedHostConfig {
    /** The fields moby merges from the top level into an inner HostConfig that leaves them unset. */
    private static final Set<String> MERGED = Set.of("memory", "memoryswap", "cpushares", "cpusetcpus",
            "volumedriver");

    private EmbeddedHostConfig() {
    }

    /**
     * @param body  the parsed body (keys as sent)
     * @param shape the create body's own fields (container.Config and the wrapper's)
     * @param hostConfig the HostConfig fields the daemon also reads at the top level
     */
    static void move(ObjectNode body, Shape.Struct shape, Shape.Struct hostConfig) {
        List<String> embedded = new ArrayList<>();
        String inner = null;
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (Shape.fold(key).equals("hostconfig")) {
                inner = key;
            } else if (shape.field(key) == null && hostConfig.field(key) != null) {
                embedded.add(key);
            }
        }
        if (embedded.isEmpty()) {
            return;
        }
        JsonNode innerValue = inner == null ? null : body.get(inner);
        if (innerValue instanceof ObjectNode innerObject) {
            for (String key : embedded) {
                JsonNode value = body.remove(key);
                List<String> spellings = spellings(innerObject, key);
                // two spellings inside are refused later as a duplicate: left as they are for that
                boolean unset = spellings.isEmpty() || (spellings.size() == 1
                        && !Fields.set(innerObject.get(spellings.get(0))));
                if (MERGED.contains(Shape.fold(key)) && Fields.set(value) && unset) {
                    spellings.forEach(innerObject::remove);
                    innerObject.set(key, value);
                }
            }
            return;
        }
        if (innerValue != null && !innerValue.isNull()) {
            embedded.forEach(body::remove); // a HostConfig the daemon cannot decode: nothing to merge into
            return;
        }
        if (inner != null) {
            body.remove(inner);
        }
        ObjectNode moved = body.putObject("HostConfig");
        for (String key : embedded) {
            moved.set(key, body.remove(key));
        }
    }

    /** The keys of {@code object} that the daemon reads as the field {@code key}. */
    private static List<String> spellings(ObjectNode object, String key) {
        String folded = Shape.fold(key);
        List<String> found = new ArrayList<>();
        object.fieldNames().forEachRemaining(name -> {
            if (Shape.fold(name).equals(folded)) {
                found.add(name);
            }
        });
        return found;
    }
}
