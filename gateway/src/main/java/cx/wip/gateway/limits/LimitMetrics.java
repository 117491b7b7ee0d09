package cx.wip.gateway.limits;

import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;

/** The limits' current use as gateway-wide meters: totals only, never a tenant id in a label. */
public final class LimitMetrics {
    private LimitMetrics() {
    }

    /** Registers once per JVM: a second gateway in the same JVM (tests) keeps the first one's meters. */
    public static void register(TenantLimits limits, BufferBudget buffers, HeadDeadline heads) {
        MeterRegistry registry = Metrics.globalRegistry();
        registry.getOrCreate(Gauge.builder("wip_gateway_tenant_requests_in_flight",
                () -> limits.inUse(TenantLimits.Kind.REQUEST)).description("plain requests held under tenant caps"));
        registry.getOrCreate(Gauge.builder("wip_gateway_tenant_hijacked_held",
                () -> limits.inUse(TenantLimits.Kind.HIJACKED)).description("hijacked sessions held under tenant caps"));
        registry.getOrCreate(Gauge.builder("wip_gateway_tenant_streams_held",
                () -> limits.inUse(TenantLimits.Kind.STREAM)).description("long streams held under tenant caps"));
        registry.getOrCreate(Gauge.builder("wip_gateway_tenants_active", limits::activeTenants)
                .description("tenants holding any request, session or stream now"));
        registry.getOrCreate(Gauge.builder("wip_gateway_buffer_bytes_reserved", buffers::used)
                .description("bytes reserved from the gateway's buffer budget now"));
        registry.getOrCreate(Gauge.builder("wip_gateway_heads_awaited", heads::awaiting)
                .description("connections whose request head is awaited now"));
        registry.getOrCreate(FunctionalCounter.builder("wip_gateway_head_timeouts", heads, HeadDeadline::closedCount)
                .description("connections closed for not sending a whole request head in time"));
    }
}
