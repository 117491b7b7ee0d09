package cx.wip.vm.boot;

import java.time.Duration;
import java.util.Locale;

import io.helidon.config.Config;

import cx.wip.vm.spi.TenantSpec;

/**
 * A plan's daemon-level limits and idle timeout ({@code vm.plans.<name>}).
 *
 * @param name        plan name
 * @param memoryBytes memory of all the tenant's containers together (0 = unlimited)
 * @param cpus        CPUs of all the tenant's containers together (0 = unlimited)
 * @param diskBytes   disk, where the backend can enforce it (0 = unlimited)
 * @param idleAfter   a tenant with no API call, open session or HTTP hit this long goes to sleep (stopped, when it
 *                    runs no container)
 * @param sleepWithApps whether running containers may sleep too (recorded, started again on wake); false: they keep
 *                    the engine awake
 */
public record Plan(String name, long memoryBytes, double cpus, long diskBytes, Duration idleAfter,
                   boolean sleepWithApps) {
    static Plan create(String name, Config config) {
        return new Plan(name,
                        size(config.get("memory").asString().orElse("0")),
                        config.get("cpus").asDouble().orElse(0.0),
                        size(config.get("disk").asString().orElse("0")),
                        config.get("idle-after").as(Duration.class).orElse(Duration.ofMinutes(30)),
                        config.get("sleep-with-apps").asBoolean().orElse(false));
    }

    TenantSpec spec(String tenantId) {
        return new TenantSpec(tenantId, name, memoryBytes, cpus, diskBytes);
    }

    /** {@code 512m}, {@code 2g}, {@code 1048576}. */
    static long size(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        long unit = switch (text.isEmpty() ? ' ' : text.charAt(text.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1;
        };
        String digits = unit == 1 ? text : text.substring(0, text.length() - 1);
        try {
            return Long.parseLong(digits.trim()) * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size (like 512m or 2g): " + value, e);
        }
    }
}
