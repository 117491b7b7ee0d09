package cx.wip.gateway.limits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import cx.wip.gateway.GatewayException;

/**
 * Bytes the gateway holds in memory on behalf of requests (reviewed bodies, rewritten answers, retry copies), bounded
 * across the gateway and per tenant. Memory is reserved before it is read and returned when the exchange ends, so a
 * flood of large bodies is refused with 503 instead of taking the heap, and one tenant can take only its share.
 */
public final class BufferBudget {
    private static final int STEP = 64 * 1024;

    private final long total;
    private final long perTenant;
    private final AtomicLong used = new AtomicLong();
    private final ConcurrentHashMap<String, Long> byTenant = new ConcurrentHashMap<>();

    public BufferBudget(GatewayLimits limits) {
        this.total = limits.bufferBytes();
        this.perTenant = limits.tenantBufferBytes();
    }

    /** Opens an empty reservation for one exchange of a tenant. */
    public Reservation open(String tenant) {
        return new Reservation(tenant);
    }

    /** Bytes reserved right now across all tenants (a gauge). */
    public long used() {
        return used.get();
    }

    /** Bytes reserved right now by one tenant. */
    public long used(String tenant) {
        return byTenant.getOrDefault(tenant, 0L);
    }

    /** What one exchange holds; grows as it reads, all returned on close (once). */
    public final class Reservation implements AutoCloseable {
        private final String tenant;
        private long held;
        private boolean closed;

        private Reservation(String tenant) {
            this.tenant = tenant;
        }

        /**
         * @throws GatewayException 503 when the gateway's or the tenant's budget has no room for {@code bytes} more
         */
        public synchronized void grow(long bytes) {
            if (closed) {
                throw new IllegalStateException("reservation closed");
            }
            boolean tenantOk = byTenant.merge(tenant, bytes, Long::sum) <= perTenant;
            boolean gatewayOk = used.addAndGet(bytes) <= total;
            held += bytes;
            if (!tenantOk || !gatewayOk) {
                throw new GatewayException(503, "wip: the gateway is busy — retry in a moment ("
                        + (tenantOk ? "buffers full" : "your account's buffers are full") + ")");
            }
        }

        /**
         * Reads {@code in} whole, reserving each piece before reading it.
         *
         * @return the bytes, or null when there were more than {@code limit}
         */
        public byte[] readAtMost(InputStream in, int limit) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] piece = new byte[STEP];
            while (out.size() <= limit) {
                int want = (int) Math.min(STEP, limit + 1L - out.size());
                grow(want);
                int n = in.readNBytes(piece, 0, want);
                if (n == 0) {
                    return out.toByteArray();
                }
                out.write(piece, 0, n);
            }
            return null;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (held > 0) {
                used.addAndGet(-held);
                byTenant.computeIfPresent(tenant, (id, mine) -> mine - held <= 0 ? null : mine - held);
            }
        }
    }
}
