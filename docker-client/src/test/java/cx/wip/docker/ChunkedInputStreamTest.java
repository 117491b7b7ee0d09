package cx.wip.docker;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkedInputStreamTest {

    @Test
    void decodesChunksAndStopsAtTheLastOne_leavingWhatFollows() throws Exception {
        ByteArrayInputStream wire = new ByteArrayInputStream(
                "5\r\nhello\r\n1;ext=1\r\n \r\n5\r\nworld\r\n0\r\n\r\nNEXT".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(new String(new ChunkedInputStream(wire).readAllBytes(), StandardCharsets.ISO_8859_1))
                .isEqualTo("hello world");
        assertThat(new String(wire.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("NEXT");
    }

    @Test
    void aTruncatedBodyIsAnError_notAnEnd() {
        ByteArrayInputStream wire = new ByteArrayInputStream("a\r\nshort".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new ChunkedInputStream(wire).readAllBytes()).isInstanceOf(EOFException.class);
    }

    @Test
    void responseHead_parsesStatusHeadersAndFraming() throws Exception {
        ResponseHead head = ResponseHead.read(new ByteArrayInputStream(
                "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(head.status()).isEqualTo(101);
        assertThat(head.reason()).isEqualTo("UPGRADED");
        assertThat(head.header("upgrade")).hasValue("tcp");
        assertThat(new String(head.toBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 101 UPGRADED\r\n").endsWith("\r\n\r\n");
        assertThat(head.chunked()).isFalse();
        assertThat(head.contentLength()).isEqualTo(-1);
    }
}
