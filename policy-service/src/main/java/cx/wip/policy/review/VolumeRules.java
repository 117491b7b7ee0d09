package cx.wip.policy.review;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

import static cx.wip.policy.review.Context.refuse;

/**
 * Volume create: local volumes only. The local driver's options are mount(8) arguments: {@code type=none,o=bind,
 * device=/} mounts the host's root when the volume is used, {@code type=nfs} reaches any server. Only a sized
 * tmpfs is allowed.
 */
final class VolumeRules {
    private VolumeRules() {
    }

    static void create(ObjectNode volume, Context context) {
        String driver = Fields.text(volume, "Driver");
        if (!driver.isEmpty() && !driver.equals("local")) {
            throw refuse("driver", driver, "only local volumes are available; drop driver");
        }
        if (Fields.set(volume.get("ClusterVolumeSpec"))) {
            throw refuse("cluster volume", volume.get("ClusterVolumeSpec").toString(), "cluster volumes are not "
                    + "available");
        }
        ObjectNode options = Fields.object(volume, "DriverOpts");
        if (options != null && !options.isEmpty() && !isTmpfs(options)) {
            Map<String, String> sorted = new TreeMap<>();
            options.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
            String shown = String.join(",", sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .toList());
            throw refuse("driver_opts", shown, "volumes cannot bind host paths or mount network shares; drop "
                    + "driver_opts to get a plain volume");
        }
        Labels.stripReserved(volume, context);
    }

    private static boolean isTmpfs(ObjectNode options) {
        for (var it = options.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("type") && !name.equals("device") && !name.equals("o")) {
                return false;
            }
        }
        if (!Fields.text(options, "type").equals("tmpfs") || !Fields.text(options, "device").equals("tmpfs")) {
            return false;
        }
        for (String option : Fields.text(options, "o").split(",")) {
            String key = option.split("=", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!key.isEmpty() && !key.equals("size") && !key.equals("mode") && !key.equals("uid")
                    && !key.equals("gid")) {
                return false;
            }
        }
        return true;
    }
}
