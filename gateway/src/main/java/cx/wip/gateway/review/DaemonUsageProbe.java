package cx.wip.gateway.review;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cx.wip.gateway.endpoint.EndpointResolver;
import cx.wip.gateway.identity.Tenant;

import io.grpc.Context;

/**
 * Reads a tenant's usage from its own daemon: {@code GET /containers/json?all=1} filtered on the label the policy
 * stamps on every container it allows ({@code cx.wip.memory}, its memory limit; tenants cannot set it), counting
 * those containers and adding up their memory. On a tenant's own daemon every container came through the policy.
 */
public final class DaemonUsageProbe implements UsageProbe {
    static final String MEMORY_LABEL = "cx.wip.memory";
    private static final Logger LOGGER = Logger.getLogger(DaemonUsageProbe.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RESPONSE = 16 * 1024 * 1024;
    /** {"label":["cx.wip.memory"]}, URL-encoded */
    private static final String FILTER = "%7B%22label%22%3A%5B%22cx.wip.memory%22%5D%7D";
    private static final Executor VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();

    private final EndpointResolver endpoints;
    private final Duration timeout;

    public DaemonUsageProbe(EndpointResolver endpoints, Duration timeout) {
        this.endpoints = endpoints;
        this.timeout = timeout;
    }

    @Override
    public Optional<Usage> usage(Tenant tenant) {
        SocketChannel[] open = new SocketChannel[1];
        CompletableFuture<Usage> usage = CompletableFuture.supplyAsync(() -> {
            try (SocketChannel channel = SocketChannel.open(endpoints.endpoint(tenant).socketAddress())) {
                open[0] = channel;
                return parse(get(channel));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Context.current().fixedContextExecutor(VIRTUAL)); // the endpoint lookup carries the request's ids
        try {
            return Optional.of(usage.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(open[0]);
            LOGGER.log(Level.FINE, "usage of tenant " + tenant.id() + " unknown: " + e.getMessage(), e);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // closing to unblock a read that took too long
        }
    }

    static Usage parse(byte[] containersJson) throws IOException {
        JsonNode containers = JSON.readTree(containersJson);
        if (!containers.isArray()) {
            throw new IOException("daemon answered no container list");
        }
        long memory = 0;
        for (JsonNode container : containers) {
            JsonNode label = container.path("Labels").path(MEMORY_LABEL);
            if (label.isTextual() && label.textValue().matches("\\d{1,19}")) {
                memory += Long.parseLong(label.textValue());
            }
        }
        return new Usage(containers.size(), memory);
    }

    /** One HTTP/1.0 exchange: the daemon answers and closes, so the body is whatever follows the head. */
    private static byte[] get(SocketChannel channel) throws IOException {
        String request = "GET /containers/json?all=1&filters=" + FILTER + " HTTP/1.0\r\nHost: docker\r\n\r\n";
        channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        while (channel.read(buffer) >= 0) {
            response.write(buffer.array(), 0, buffer.position());
            buffer.clear();
            if (response.size() > MAX_RESPONSE) {
                throw new IOException("container list too large");
            }
        }
        byte[] bytes = response.toByteArray();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (text.length() < 12 || !text.startsWith("HTTP/1.") || !text.substring(9, 12).equals("200")) {
            throw new IOException("daemon answered " + text.lines().findFirst().orElse("nothing"));
        }
        int bodyStart = text.indexOf("\r\n\r\n");
        if (bodyStart < 0) {
            throw new IOException("daemon answer has no body");
        }
        return Arrays.copyOfRange(bytes, bodyStart + 4, bytes.length);
    }
}
