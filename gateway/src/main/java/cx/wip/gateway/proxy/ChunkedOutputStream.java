package cx.wip.gateway.proxy;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Chunk-encodes a request body of unknown length toward the daemon; one chunk per write, never an empty one. Each
 * chunk leaves in one write call: {@link #writeFramed} frames the data in place, in room the caller left around it
 * (size line before, CRLF after), instead of three writes (size line, data, CRLF) that became three system calls.
 */
final class ChunkedOutputStream extends FilterOutputStream {
    /** Room a caller leaves before the data: the longest size line of an int length ({@code 7fffffff\r\n}). */
    static final int HEADROOM = 10;
    /** Room a caller leaves after the data: the CRLF that ends a chunk. */
    static final int TAILROOM = 2;

    ChunkedOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        byte[] framed = new byte[HEADROOM + len + TAILROOM];
        System.arraycopy(b, off, framed, HEADROOM, len);
        writeFramed(framed, HEADROOM, len);
    }

    /**
     * Writes {@code len} bytes at {@code buffer[off]} as one chunk, in one write: the size line goes into the
     * {@link #HEADROOM} bytes before {@code off}, the CRLF into the {@link #TAILROOM} bytes after the data.
     */
    void writeFramed(byte[] buffer, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        if (off < HEADROOM || buffer.length - off - len < TAILROOM) {
            throw new IllegalArgumentException("no room around the chunk to frame it");
        }
        byte[] size = (Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        int start = off - size.length;
        System.arraycopy(size, 0, buffer, start, size.length);
        buffer[off + len] = '\r';
        buffer[off + len + 1] = '\n';
        out.write(buffer, start, size.length + len + TAILROOM);
    }

    /** Writes the last chunk; the underlying stream stays open (its response is still to be read). */
    void finish() throws IOException {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
