package cx.wip.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One Docker API request on its own connection, over a unix socket or TCP, answered whole: what a test needs to send
 * the very same bytes to the engine and to the gateway. {@code Connection: close}, so the answer ends with the stream.
 */
record RawDocker(SocketAddress address) {

    static RawDocker unix(String path) {
        return new RawDocker(UnixDomainSocketAddress.of(path));
    }

    static RawDocker tcp(int port) {
        return new RawDocker(new InetSocketAddress("127.0.0.1", port));
    }

    record Answer(int status, String body) {
    }

    Answer send(String method, String target, String json) throws IOException {
        try (SocketChannel channel = SocketChannel.open(address)) {
            byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + target + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n"
                    + (json == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
                    + "\r\n";
            OutputStream out = Channels.newOutputStream(channel);
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            byte[] all = Channels.newInputStream(channel).readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            int status = Integer.parseInt(text.substring(9, 12));
            String headers = text.substring(0, end).toLowerCase(Locale.ROOT);
            byte[] rest = java.util.Arrays.copyOfRange(all, end + 4, all.length);
            byte[] content = headers.contains("transfer-encoding: chunked") ? unchunk(rest) : rest;
            return new Answer(status, new String(content, StandardCharsets.UTF_8));
        }
    }

    private static byte[] unchunk(byte[] chunked) throws IOException {
        InputStream in = new java.io.ByteArrayInputStream(chunked);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n' && c >= 0) {
                line.append((char) c);
            }
            String size = line.toString().trim();
            int n = size.isEmpty() ? 0 : Integer.parseInt(size.split(";")[0], 16);
            if (n == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(n));
            in.skip(2);
        }
    }
}
