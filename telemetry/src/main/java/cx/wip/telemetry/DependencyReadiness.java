package cx.wip.telemetry;

import java.util.function.BooleanSupplier;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Readiness of one dependency a service cannot work without (Redis). The details name the dependency and say
 * "up" or "down", nothing else: health answers on the service port, so a URI (with its password), host or port of an
 * internal service must never appear in them.
 */
public final class DependencyReadiness implements HealthCheck {
    private final String dependency;
    private final BooleanSupplier up;

    private DependencyReadiness(String dependency, BooleanSupplier up) {
        this.dependency = dependency;
        this.up = up;
    }

    /** A readiness check named {@code dependency} (e.g. "redis"), up while {@code up} says so. */
    public static DependencyReadiness of(String dependency, BooleanSupplier up) {
        return new DependencyReadiness(dependency, up);
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return dependency;
    }

    @Override
    public HealthCheckResponse call() {
        boolean ready = up.getAsBoolean();
        return HealthCheckResponse.builder().status(ready).detail(dependency, ready ? "up" : "down").build();
    }
}
