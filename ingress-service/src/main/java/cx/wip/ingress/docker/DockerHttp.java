package cx.wip.ingress.docker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import cx.wip.docker.DaemonTls;

/**
 * One HTTP/1.1 GET to a Docker daemon over its unix socket or TCP ({@code java.net.http} speaks neither unix sockets
 * nor endless chunked streams well), or TLS to a daemon started with {@code --tlsverify}. The response body is de-chunked; the caller closes the response.
 */
final class DockerHttp {
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private DockerHttp() {
    }

    /** A response: status and its body stream (ends with the body). */
    record Response(int status, InputStream body, Closeable connection) implements AutoCloseable {
        String text() throws IOException {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            connection.close();
        }
    }

    static Response get(URI daemon, Optional<DaemonTls> tls, String pathAndQuery) throws IOException {
        Connection channel = open(daemon, tls);
        try {
            OutputStream out = channel.out();
            out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: wip-ingress\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(channel.in());
            String statusLine = line(in);
            if (!statusLine.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer from " + daemon + ": " + statusLine);
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            long length = -1;
            boolean chunked = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).strip());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            InputStream body = chunked ? new ChunkedInputStream(in) : length >= 0 ? limited(in, length) : in;
            return new Response(status, body, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static InputStream limited(InputStream in, long length) {
        return new java.io.FilterInputStream(in) {
            private long left = length;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                left--;
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        };
    }

    /** A connected socket's two streams; closing it closes both. */
    private record Connection(InputStream in, OutputStream out, Closeable socket) implements Closeable {
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** unix:///path, tcp://host:port (plain), https://host:port (TLS with {@code tls}'s client certificate). */
    private static Connection open(URI daemon, Optional<DaemonTls> tls) throws IOException {
        if ("unix".equals(daemon.getScheme())) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(Path.of(daemon.getPath())));
            return new Connection(Channels.newInputStream(channel), Channels.newOutputStream(channel), channel);
        }
        boolean https = "https".equals(daemon.getScheme());
        if (https && tls.isEmpty()) {
            throw new IOException("the daemon at " + daemon + " speaks TLS and ingress.daemon-tls is not configured");
        }
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(daemon.getHost(),
                    daemon.getPort() >= 0 ? daemon.getPort() : https ? 2376 : 2375), CONNECT_TIMEOUT_MILLIS);
            Socket connected = https ? tls.get().wrap(socket, daemon.getHost(), socket.getPort(), CONNECT_TIMEOUT_MILLIS)
                    : socket;
            return new Connection(connected.getInputStream(), connected.getOutputStream(), connected);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed by the daemon");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
