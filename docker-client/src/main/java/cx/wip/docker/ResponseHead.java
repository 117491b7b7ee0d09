package cx.wip.docker;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The status line and headers of a daemon response, exactly as received, with its framing read once.
 *
 * @param status        status code
 * @param reason        reason phrase
 * @param headers       header name/value pairs in order
 * @param chunked       whether the body is chunked
 * @param contentLength the body's Content-Length, -1 when absent
 */
public record ResponseHead(int status, String reason, List<Header> headers, boolean chunked, long contentLength) {
    private static final int MAX_HEAD = 64 * 1024;

    public ResponseHead(int status, String reason, List<Header> headers) {
        this(status, reason, headers, chunked(headers), contentLength(headers));
    }

    /** One header line. */
    public record Header(String name, String value) {
    }

    public Optional<String> header(String name) {
        return find(headers, name);
    }

    private static Optional<String> find(List<Header> headers, String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return Optional.of(h.value());
            }
        }
        return Optional.empty();
    }

    private static boolean chunked(List<Header> headers) {
        return find(headers, "Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
                .orElse(false);
    }

    private static long contentLength(List<Header> headers) {
        return find(headers, "Content-Length").map(v -> Long.parseLong(v.trim())).orElse(-1L);
    }

    /** The head re-serialised for the client (used when the connection is hijacked after a 101). */
    public byte[] toBytes() {
        StringBuilder sb = new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        for (Header h : headers) {
            sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static ResponseHead read(InputStream in) throws IOException {
        Lines lines = new Lines(in);
        String statusLine = lines.next();
        if (statusLine == null) {
            throw new EOFException("daemon closed the connection before answering");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("daemon sent a malformed status line");
        }
        if (parts[1].length() != 3 || parts[1].charAt(0) == '0' || !digits(parts[1], 3)) {
            throw new IOException("daemon sent a malformed status code");
        }
        int status = Integer.parseInt(parts[1]);
        String reason = parts.length == 3 ? parts[2] : "";
        List<Header> headers = new ArrayList<>(12);
        for (String line = lines.next(); line != null && !line.isEmpty(); line = lines.next()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.add(new Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
            }
        }
        // the daemon is the tenant's: a length that is not a plain number must not become an exception elsewhere
        if (find(headers, "Content-Length").filter(length -> !digits(length, 18)).isPresent()) {
            throw new IOException("daemon sent a malformed Content-Length");
        }
        return new ResponseHead(status, reason, List.copyOf(headers));
    }

    /** Whether {@code value} is 1 to {@code max} decimal digits (no sign, no space: {@code parseLong} cannot fail). */
    static boolean digits(String value, int max) {
        if (value.isEmpty() || value.length() > max) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Reads a CRLF-terminated line; null on EOF before any byte. */
    static String readLine(InputStream in) throws IOException {
        return new Lines(in).next();
    }

    /** CRLF-terminated lines of one head, read into one reused buffer; the whole head is bounded. */
    private static final class Lines {
        private final InputStream in;
        private byte[] buffer = new byte[256];
        private int headBytes;

        Lines(InputStream in) {
            this.in = in;
        }

        String next() throws IOException {
            int n = 0;
            int b;
            while ((b = in.read()) != -1) {
                if (++headBytes > MAX_HEAD) {
                    throw new IOException("daemon response head too large");
                }
                if (b == '\n') {
                    return new String(buffer, 0, n > 0 && buffer[n - 1] == '\r' ? n - 1 : n,
                            StandardCharsets.ISO_8859_1);
                }
                if (n == buffer.length) {
                    buffer = Arrays.copyOf(buffer, n * 2);
                }
                buffer[n++] = (byte) b;
            }
            if (n == 0) {
                return null;
            }
            throw new EOFException("daemon closed the connection mid-line");
        }
    }
}
