package cx.wip.gateway.daemon;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Decodes a chunked HTTP body; {@link #read} returns at most what is left in the current chunk. */
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
            remaining = Long.parseLong((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
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
}
