package cx.wip.ingress.wake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Which tenants' routes served requests: the route backend writes its access log here as JSON lines (Caddy's
 * {@code net} writer: {@code request.host}; Traefik's JSON access log: {@code RequestHost}), the hosts seen are
 * collected, and once per interval they are mapped to their tenants through ingress-service's store and reported to
 * vm-service in one call, whatever the request rate. Hosts nobody routes are dropped; at most {@link #MAX_HOSTS}
 * distinct hosts are kept per interval.
 */
public final class HitLog implements AutoCloseable {
    static final int MAX_HOSTS = 10_000;
    private static final int MAX_LINE = 64 * 1024;
    private static final Logger LOGGER = Logger.getLogger(HitLog.class.getName());
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern HOST = Pattern.compile("[a-z0-9.-]{1,253}");

    private final ServerSocket listener;
    private final Set<String> hosts = ConcurrentHashMap.newKeySet();
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ingress-hits").factory());
    private volatile VmEngines engines;
    private volatile RouteDirectory routes;
    private volatile boolean closed;

    private HitLog(ServerSocket listener) {
        this.listener = listener;
    }

    /**
     * Listens on {@code ingress.hits.host:port} (port 0: any free one) and collects hosts from now on: Caddy refuses a
     * configuration whose log writer cannot connect, so this runs before the route backend is set up.
     */
    public static HitLog listen(WakeConfig config) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getByName(config.hitsHost()), config.hitsPort()), 64);
            HitLog log = new HitLog(listener);
            Thread.ofPlatform().daemon().name("ingress-hit-log").start(log::acceptForever);
            return log;
        } catch (IOException e) {
            throw new IllegalStateException("the hit log cannot listen on " + config.hitsHost() + ":"
                    + config.hitsPort() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Also reads an access log file as it grows (Traefik writes its JSON access log only to a file, e.g. on a volume
     * shared with ingress-service): from its end at start, again from the start when it was rotated or truncated.
     */
    public void follow(Path file) {
        boolean existed = Files.exists(file);
        readers.submit(() -> {
            long position = existed ? -1 : 0;
            while (!closed) {
                try (SeekableByteChannel channel = Files.newByteChannel(file)) {
                    long size = channel.size();
                    position = position < 0 || size < position ? (position < 0 ? size : 0) : position;
                    channel.position(position);
                    InputStream in = Channels.newInputStream(channel);
                    position += lines(in, true);
                } catch (IOException e) {
                    LOGGER.log(Level.FINE, "access log " + file + " not readable yet", e);
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Reports the tenants of the hosts seen to vm-service every {@code interval}, from now on. */
    public void reportTo(VmEngines engines, RouteDirectory routes, java.time.Duration interval) {
        this.engines = engines;
        this.routes = routes;
        timer.scheduleWithFixedDelay(this::report, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptForever() {
        while (!closed) {
            try {
                Socket writer = listener.accept();
                readers.submit(() -> read(writer));
            } catch (IOException e) {
                if (!closed) {
                    LOGGER.log(Level.WARNING, "hit log accept failed", e);
                }
            }
        }
    }

    private void read(Socket writer) {
        try (writer; InputStream in = writer.getInputStream()) {
            lines(in, false);
        } catch (IOException e) {
            LOGGER.log(Level.FINE, "hit log writer went away", e);
        }
    }

    /**
     * Reads JSON lines until the end of the stream; each complete line is {@link #seen}.
     *
     * @param completeOnly stop before a last line without its newline (a file still being written)
     * @return the bytes consumed (complete lines)
     */
    private long lines(InputStream raw, boolean completeOnly) throws IOException {
        InputStream in = new BufferedInputStream(raw);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean tooLong = false;
        long consumed = 0;
        long read = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            read++;
            if (b == '\n') {
                if (!tooLong) {
                    seen(line.toString(StandardCharsets.UTF_8));
                }
                line.reset();
                tooLong = false;
                consumed = read;
            } else if (line.size() < MAX_LINE) {
                line.write(b);
            } else {
                tooLong = true;
            }
        }
        return completeOnly ? consumed : read;
    }

    /** One access log line: its host is remembered (nothing else of it). */
    void seen(String line) {
        try {
            JsonNode entry = MAPPER.readTree(line);
            String host = entry.path("request").path("host").asText(entry.path("RequestHost").asText(""))
                    .toLowerCase(Locale.ROOT);
            int colon = host.lastIndexOf(':');
            if (colon >= 0 && host.substring(colon + 1).matches("[0-9]{1,5}")) {
                host = host.substring(0, colon);
            }
            if (HOST.matcher(host).matches() && (hosts.size() < MAX_HOSTS || hosts.contains(host))) {
                hosts.add(host);
            }
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.FINE, "unreadable access log line", e);
        }
    }

    /** Reports the tenants of the hosts seen since the last report, in one call. */
    void report() {
        if (engines == null || routes == null) {
            return;
        }
        try {
            Set<String> tenants = new LinkedHashSet<>();
            for (String host : hosts) {
                hosts.remove(host);
                routes.route(host).ifPresent(route -> tenants.add(route.tenantId()));
            }
            if (!tenants.isEmpty()) {
                engines.reportHttp(tenants);
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "HTTP activity report failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        report();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        readers.shutdownNow();
    }
}
