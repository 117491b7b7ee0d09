package cx.wip.gateway.proxy;

import java.util.Set;

import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncoding;
import io.helidon.http.encoding.ContentEncodingContext;

/**
 * Request bodies pass through as the client encoded them, with their {@code Content-Encoding}: the engine reads a
 * compressed build context itself ({@code docker build --compress}). Helidon would otherwise refuse any request with
 * a {@code Content-Encoding} it has no decoder for (a bare 400), or decode it and forward plain bytes still labelled
 * gzip. Never used for responses: those are the engine's bytes, forwarded as they are.
 */
public final class PassThroughEncoding implements ContentEncoding {
    /** The encodings HTTP clients name (RFC 9110 and common use); the engine sniffs the bytes, not the header. */
    private static final Set<String> IDS = Set.of("gzip", "x-gzip", "deflate", "compress", "x-compress", "br",
            "zstd", "identity");

    private PassThroughEncoding() {
    }

    /** The listeners' encoding context: decodes nothing, encodes nothing. */
    public static ContentEncodingContext context() {
        return ContentEncodingContext.builder()
                .contentEncodingsDiscoverServices(false)
                .addContentEncoding(new PassThroughEncoding())
                .build();
    }

    @Override
    public Set<String> ids() {
        return IDS;
    }

    @Override
    public boolean supportsEncoding() {
        return false;
    }

    @Override
    public boolean supportsDecoding() {
        return true;
    }

    @Override
    public ContentDecoder decoder() {
        return ContentDecoder.NO_OP;
    }

    @Override
    public ContentEncoder encoder() {
        return ContentEncoder.NO_OP;
    }

    @Override
    public String name() {
        return "pass-through";
    }

    @Override
    public String type() {
        return "pass-through";
    }
}
