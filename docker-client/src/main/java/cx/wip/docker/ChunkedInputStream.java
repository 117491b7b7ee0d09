package cx.wip.docker;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes a chunked HTTP body; {@link #read} returns at most what is left in the current chunk (so a relay can flush
 * at chunk boundaries), and stops at the last chunk, leaving the connection at the next response.
 */
final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        if (remaining == 0) {
            String sizeLine = ResponseHead.readLine(in);
            if (sizeLine == null) {
                throw new EOFException("chunked body ended early");
            }
            int semi = sizeLine.indexOf(';');
            String size = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
            remaining = size(size);
            if (remaining == 0) {
                // trailers until an empty line
                for (String line = ResponseHead.readLine(in); line != null && !line.isEmpty(); line = ResponseHead.readLine(in)) {
                    // trailers are not forwarded
                }
                done = true;
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n == -1) {
            throw new EOFException("chunked body ended early");
        }
        remaining -= n;
        if (remaining == 0) {
            ResponseHead.readLine(in); // CRLF after the chunk data
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return done ? 0 : (int) Math.min(remaining, in.available());
    }

    /** A chunk size: 1 to 15 hex digits, so it is never negative and never overflows. */
    private static long size(String hex) throws IOException {
        if (hex.isEmpty() || hex.length() > 15) {
            throw new IOException("malformed chunk size");
        }
        long size = 0;
        for (int i = 0; i < hex.length(); i++) {
            int digit = Character.digit(hex.charAt(i), 16);
            if (digit < 0) {
                throw new IOException("malformed chunk size");
            }
            size = size << 4 | digit;
        }
        return size;
    }
}
