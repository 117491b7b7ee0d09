package cx.wip.ingress.docker;

import java.io.IOException;
import java.io.InputStream;

/** The body of a chunked HTTP/1.1 response, de-chunked; ends at the last (zero-length) chunk. */
final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long left;
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (done) {
            return -1;
        }
        if (left == 0) {
            String size = DockerHttp.line(in);
            if (size.isEmpty()) {
                size = DockerHttp.line(in);
            }
            int semicolon = size.indexOf(';');
            left = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
            if (left == 0) {
                done = true;
                return -1;
            }
        }
        int n = in.read(buffer, offset, (int) Math.min(length, left));
        if (n < 0) {
            throw new IOException("chunked body cut short");
        }
        left -= n;
        return n;
    }
}
