package cx.wip.vm.docker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One request per connection ({@code Connection: close}) to a Docker daemon on {@code unix://} or {@code tcp://}.
 * Deliberately tiny: the gateway carries real traffic; vm-service only pings, counts and seeds.
 */
public final class DockerHttp {
    private final URI address;
    private final Optional<SSLContext> tls;

    private DockerHttp(URI address, Optional<SSLContext> tls) {
        this.address = address;
        this.tls = tls;
    }

    /** A client for a plain daemon address ({@code unix:///path} or {@code tcp://host:port}). */
    public static DockerHttp of(String address) {
        return new DockerHttp(URI.create(address), Optional.empty());
    }

    /** A client that speaks TLS to a {@code tcp://} daemon. */
    public static DockerHttp tls(String address, SSLContext context) {
        return new DockerHttp(URI.create(address), Optional.of(context));
    }

    /**
     * @param status HTTP status
     * @param body   whole body (de-chunked)
     */
    public record Response(int status, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** True when {@code GET /_ping} answers 200 within {@code timeout}. */
    public boolean ping(Duration timeout) {
        try {
            return request("GET", "/_ping", null, null, timeout).status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    public Response get(String path, Duration timeout) throws IOException {
        return request("GET", path, null, null, timeout);
    }

    /** Sends {@code file} as the body (e.g. an image tarball to {@code /images/load}). */
    public Response post(String path, String contentType, Path file, Duration timeout) throws IOException {
        return request("POST", path, contentType, file, timeout);
    }

    /** A POST without a body (e.g. {@code /containers/{id}/start}). */
    public Response post(String path, Duration timeout) throws IOException {
        return request("POST", path, null, null, timeout);
    }

    /** Streams a GET body into {@code target} (e.g. {@code /images/get}); returns the status. */
    public int download(String path, Path target, Duration timeout) throws IOException {
        try (Socket socket = connect(timeout)) {
            writeHead(socket.getOutputStream(), "GET", path, null, -1);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Head head = Head.read(in);
            try (OutputStream out = Files.newOutputStream(target)) {
                head.copyBody(in, out);
            }
            return head.status();
        }
    }

    private Response request(String method, String path, String contentType, Path file, Duration timeout)
            throws IOException {
        try (Socket socket = connect(timeout)) {
            OutputStream out = socket.getOutputStream();
            writeHead(out, method, path, contentType, file == null ? 0 : Files.size(file));
            if (file != null) {
                Files.copy(file, out);
            }
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Head head = Head.read(in);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            head.copyBody(in, body);
            return new Response(head.status(), body.toByteArray());
        }
    }

    private void writeHead(OutputStream out, String method, String path, String contentType, long length)
            throws IOException {
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: docker\r\nConnection: close\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (length >= 0 && !"GET".equals(method)) {
            head.append("Content-Length: ").append(length).append("\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private Socket connect(Duration timeout) throws IOException {
        int millis = (int) Math.max(1, timeout.toMillis());
        if ("unix".equals(address.getScheme())) {
            SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(address.getPath())));
            return new ChannelSocket(channel, millis);
        }
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(address.getHost(), address.getPort()), millis);
        socket.setSoTimeout(millis);
        if (tls.isPresent()) {
            SSLSocket ssl = (SSLSocket) tls.get().getSocketFactory()
                    .createSocket(socket, address.getHost(), address.getPort(), true);
            ssl.setSoTimeout(millis);
            ssl.startHandshake();
            return ssl;
        }
        return socket;
    }

    /**
     * Adapts a unix {@link SocketChannel} to {@link Socket} streams. Unix channels have no read timeout, so a
     * watchdog closes the channel at the deadline (a blocked read then fails instead of hanging).
     */
    private static final class ChannelSocket extends Socket {
        private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "docker-http-watchdog");
            thread.setDaemon(true);
            return thread;
        });

        private final SocketChannel channel;
        private final ScheduledFuture<?> deadline;

        ChannelSocket(SocketChannel channel, int timeoutMillis) {
            this.channel = channel;
            this.deadline = WATCHDOG.schedule(() -> {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing to unblock a reader: nothing more to do
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public InputStream getInputStream() {
            return Channels.newInputStream(channel);
        }

        @Override
        public OutputStream getOutputStream() {
            return Channels.newOutputStream(channel);
        }

        @Override
        public synchronized void close() throws IOException {
            deadline.cancel(false);
            channel.close();
        }
    }
}
