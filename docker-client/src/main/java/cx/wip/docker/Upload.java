package cx.wip.docker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A request body of known length: bytes in memory, or a file streamed from disk (an image tarball). */
record Upload(String contentType, byte[] bytes, Path file) {
    static final List<ResponseHead.Header> NONE = List.of();

    static Upload of(String contentType, byte[] bytes) {
        return new Upload(contentType, bytes, null);
    }

    static Upload of(String contentType, Path file) {
        return new Upload(contentType, null, file);
    }

    List<ResponseHead.Header> headers() throws IOException {
        long length = bytes != null ? bytes.length : Files.size(file);
        return List.of(new ResponseHead.Header("Content-Type", contentType),
                new ResponseHead.Header("Content-Length", Long.toString(length)));
    }

    void writeTo(OutputStream out) throws IOException {
        if (bytes != null) {
            out.write(bytes);
        } else {
            Files.copy(file, out);
        }
        out.flush();
    }
}
