package cx.wip.gateway.quota;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cx.wip.docker.DaemonClient;
import cx.wip.docker.DaemonConnection;
import cx.wip.docker.ResponseHead;
import cx.wip.docker.DaemonAddress;

/**
 * Reads a tenant's usage from its daemon through the gateway's own {@link DaemonClient} (unix, TCP and TLS daemons
 * alike, on the pooled keep-alive connection the forwarder uses): {@code GET /containers/json?all=1}, then
 * {@code GET /containers/{id}/json} for each of the platform's containers that is not exited (exited containers count
 * toward no quota), because only the inspect tells the memory
 * limit the daemon enforces now — the label stamped at create goes stale after {@code docker update -m}, and API 1.41's
 * list carries no memory. Every answer is bounded in size, the whole read by one deadline; anything unexpected is a
 * {@link UsageUnknown}, never a smaller usage.
 */
final class DaemonUsage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIST = "/containers/json?all=1";
    private static final int MAX_LIST = 4 << 20;
    private static final int MAX_INSPECT = 2 << 20;
    /** More containers than any plan allows: inspecting them all would not fit the deadline. */
    static final int MAX_CONTAINERS = 500;

    private final DaemonClient daemons;
    private final Duration timeout;
    private final String label;

    /**
     * @param timeout how long the whole read may take
     * @param label   the label the policy stamps on every container it allows (tenants cannot set it): what is counted
     */
    DaemonUsage(DaemonClient daemons, Duration timeout, String label) {
        this.daemons = daemons;
        this.timeout = timeout;
        this.label = label;
    }

    /**
     * @param excluded the {@code {id}} of a container update (full id, id prefix or name), whose own memory is left out;
     *                 null for a create
     */
    Usage read(DaemonAddress daemon, String excluded) throws UsageUnknown {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            return attempt(daemons.acquire(daemon), excluded, deadline);
        } catch (StaleConnection stale) {
            // a pooled connection the daemon closed while idle: once more on a new one, within the same deadline
            try {
                return attempt(daemons.fresh(daemon), excluded, deadline);
            } catch (IOException e) {
                throw new UsageUnknown("daemon unreachable: " + e, e);
            }
        } catch (IOException e) {
            throw new UsageUnknown("daemon unreachable: " + e, e);
        }
    }

    private Usage attempt(DaemonConnection connection, String excluded, long deadline)
            throws IOException, UsageUnknown {
        // past the deadline the connection is closed under the read, which then fails
        CompletableFuture<Void> closer = CompletableFuture.runAsync(connection::close, CompletableFuture
                .delayedExecutor(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS));
        boolean complete = false;
        try {
            ResponseHead listed;
            try {
                connection.writeHead("GET", LIST, List.of());
                listed = connection.readHead();
            } catch (IOException e) {
                if (connection.reused() && !closer.isDone()) {
                    throw new StaleConnection(e);
                }
                throw e;
            }
            Usage usage = count(connection, body(connection, listed, LIST, MAX_LIST), excluded);
            complete = true;
            return usage;
        } catch (StaleConnection stale) {
            throw stale;
        } catch (IOException | RuntimeException e) {
            throw new UsageUnknown(closer.isDone() ? "no answer within " + timeout : e.toString(), e);
        } finally {
            // a closer that could not be cancelled has closed the connection: never pooled then
            boolean inTime = closer.cancel(false);
            daemons.release(connection, complete && inTime);
        }
    }

    private Usage count(DaemonConnection connection, JsonNode list, String excluded) throws IOException {
        if (list == null || !list.isArray()) {
            throw new IOException("the daemon answered no container list");
        }
        String skip = excluded == null ? null : ContainerMatch.id(list, excluded);
        List<String> counted = new ArrayList<>();
        for (JsonNode container : list) {
            // exited containers hold nothing: docker users leave them around, and they must not block the next run
            String state = container.path("State").asText("");
            if (container.path("Labels").has(label) && !state.equals("exited") && !state.equals("dead")) {
                counted.add(container.path("Id").asText());
            }
        }
        if (counted.size() > MAX_CONTAINERS) {
            throw new IOException(counted.size() + " containers; more than " + MAX_CONTAINERS + " are not inspected");
        }
        long memory = 0;
        for (String id : counted) {
            if (id.equals(skip)) {
                continue;
            }
            if (!id.matches("[0-9a-f]{64}")) {
                throw new IOException("the daemon listed a container without a proper id");
            }
            String inspect = "/containers/" + id + "/json";
            connection.writeHead("GET", inspect, List.of());
            JsonNode container = body(connection, connection.readHead(), inspect, MAX_INSPECT);
            if (container == null) {
                continue; // removed since the list: it holds no memory any more
            }
            JsonNode limit = container.path("HostConfig").path("Memory");
            if (!limit.canConvertToLong() || limit.asLong() < 0) {
                throw new IOException("container " + id + " has no readable memory limit");
            }
            memory = Math.addExact(memory, limit.asLong());
        }
        return new Usage(counted.size(), memory);
    }

    /** A JSON answer read whole (bounded), so the connection can serve the next request; null on 404. */
    private static JsonNode body(DaemonConnection connection, ResponseHead head, String target, int max)
            throws IOException {
        byte[] bytes = connection.body(head, false).readNBytes(max + 1);
        if (bytes.length > max) {
            throw new IOException("the answer to " + target + " is larger than " + max + " bytes");
        }
        if (head.status() == 404) {
            return null;
        }
        if (head.status() != 200) {
            throw new IOException("the daemon answered " + head.status() + " to " + target);
        }
        return JSON.readTree(bytes);
    }

    /** A pooled connection failed before any answer. */
    private static final class StaleConnection extends IOException {
        StaleConnection(IOException cause) {
            super(cause);
        }
    }
}
