package cx.wip.ingress.wake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The head of an HTTP/1.1 message (request or response line, header fields), read strictly and written back with
 * {@code Connection: close}: the waker relays one exchange per connection, and the bytes after the head (the body in
 * whatever framing it came, or an upgraded connection) pass through untouched.
 *
 * @param startLine request or status line
 * @param fields    header fields as {name, value}, in order
 */
record HttpHead(String startLine, List<String[]> fields) {
    static final int MAX_BYTES = 64 * 1024;
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern HOST = Pattern.compile("[a-z0-9.-]{1,253}");
    private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "proxy-connection");

    /** A head that breaks the grammar or the limits: answered 400, never relayed. */
    static final class Malformed extends IOException {
        Malformed(String message) {
            super(message);
        }
    }

    /** @return the head, or empty when the peer closed before sending anything */
    static Optional<HttpHead> read(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int total = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (lines.isEmpty() && line.size() == 0) {
                    return Optional.empty();
                }
                throw new Malformed("connection closed inside the head");
            }
            if (++total > MAX_BYTES) {
                throw new Malformed("head larger than " + MAX_BYTES + " bytes");
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                line.reset();
                if (text.isEmpty()) {
                    if (lines.isEmpty()) {
                        continue;
                    }
                    return Optional.of(parse(lines));
                }
                lines.add(text);
            } else {
                line.write(b);
            }
        }
    }

    private static HttpHead parse(List<String> lines) throws Malformed {
        for (String line : lines) {
            if (line.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f) || line.startsWith(" ")
                    || line.startsWith("\t")) {
                throw new Malformed("control character or folded line in the head");
            }
        }
        List<String[]> fields = new ArrayList<>();
        for (String field : lines.subList(1, lines.size())) {
            int colon = field.indexOf(':');
            if (colon <= 0 || !TOKEN.matcher(field.substring(0, colon)).matches()) {
                throw new Malformed("bad header field");
            }
            fields.add(new String[] {field.substring(0, colon), field.substring(colon + 1).strip()});
        }
        return new HttpHead(lines.getFirst(), List.copyOf(fields));
    }

    List<String> values(String name) {
        return fields.stream().filter(f -> f[0].equalsIgnoreCase(name)).map(f -> f[1]).toList();
    }

    /**
     * Checks what the waker relays: an origin-form request target (no absolute URL that could name another server),
     * one Host, and no framing a proxy could read two ways.
     *
     * @return the host asked for, lower case, without port
     */
    String requestHost() throws Malformed {
        String[] parts = startLine.split(" ", -1);
        if (parts.length != 3 || !TOKEN.matcher(parts[0]).matches() || !parts[2].matches("HTTP/1\\.[01]")
                || !(parts[1].startsWith("/") || "*".equals(parts[1]))) {
            throw new Malformed("bad request line");
        }
        List<String> hosts = values("Host");
        if (hosts.size() != 1) {
            throw new Malformed("a request needs exactly one Host");
        }
        if (values("Content-Length").size() > 1
                || !values("Transfer-Encoding").isEmpty() && !values("Content-Length").isEmpty()) {
            throw new Malformed("ambiguous body framing");
        }
        String host = hosts.getFirst().toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && host.substring(colon + 1).matches("[0-9]{1,5}")) {
            host = host.substring(0, colon);
        }
        if (!HOST.matcher(host).matches()) {
            throw new Malformed("bad Host");
        }
        return host;
    }

    /** @return the status code of a response head */
    int status() throws Malformed {
        String[] parts = startLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) {
            throw new Malformed("bad status line");
        }
        return Integer.parseInt(parts[1]);
    }

    /** @return true for a request that asks to switch protocols (WebSocket): its connection becomes a byte pipe */
    boolean upgrade() {
        return !values("Upgrade").isEmpty()
                && values("Connection").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("upgrade"));
    }

    /** @param close replace the connection's persistence fields by {@code Connection: close} */
    byte[] bytes(boolean close) {
        StringBuilder head = new StringBuilder(startLine).append("\r\n");
        for (String[] field : fields) {
            if (!close || !HOP_BY_HOP.contains(field[0].toLowerCase(Locale.ROOT))) {
                head.append(field[0]).append(": ").append(field[1]).append("\r\n");
            }
        }
        if (close) {
            head.append("Connection: close\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
