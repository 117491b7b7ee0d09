package cx.wip.gateway.daemon;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The status line and headers of a daemon response, exactly as received.
 *
 * @param status  status code
 * @param reason  reason phrase
 * @param headers header name/value pairs in order
 */
public record ResponseHead(int status, String reason, List<Header> headers) {
    private static final int MAX_HEAD = 64 * 1024;

    /** One header line. */
    public record Header(String name, String value) {
    }

    public Optional<String> header(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return Optional.of(h.value());
            }
        }
        return Optional.empty();
    }

    public boolean chunked() {
        return header("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false);
    }

    public long contentLength() {
        return header("Content-Length").map(v -> Long.parseLong(v.trim())).orElse(-1L);
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
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new EOFException("daemon closed the connection before answering");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("daemon sent a malformed status line");
        }
        int status = Integer.parseInt(parts[1]);
        String reason = parts.length == 3 ? parts[2] : "";
        List<Header> headers = new ArrayList<>();
        int total = statusLine.length();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            total += line.length();
            if (total > MAX_HEAD) {
                throw new IOException("daemon response head too large");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.add(new Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
            }
        }
        return new ResponseHead(status, reason, List.copyOf(headers));
    }

    /** Reads a CRLF-terminated line; null on EOF before any byte. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                int n = line.size();
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, n > 0 && bytes[n - 1] == '\r' ? n - 1 : n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            if (line.size() > MAX_HEAD) {
                throw new IOException("line too long");
            }
        }
        if (line.size() == 0) {
            return null;
        }
        throw new EOFException("daemon closed the connection mid-line");
    }
}
