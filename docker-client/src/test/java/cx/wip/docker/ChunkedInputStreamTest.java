package cx.wip.docker;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one chunked decoder and head parser: what a hostile daemon can send must end in an IOException, never a runtime one. */
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

    @Test
    void aChunkSizeThatIsNotHex_orTooLong_isAnIoError() {
        for (String size : new String[] {"-5", "+5", "0x10", "", "7fffffffffffffff", "g"}) {
            ByteArrayInputStream wire = new ByteArrayInputStream((size + "\r\nhello\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThatThrownBy(() -> new ChunkedInputStream(wire).readAllBytes()).as(size)
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void aMalformedStatusOrContentLength_isAnIoError() {
        for (String head : new String[] {"HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 abc OK\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", "SSH-2.0-OpenSSH\r\n\r\n"}) {
            assertThatThrownBy(() -> ResponseHead.read(new ByteArrayInputStream(
                    head.getBytes(StandardCharsets.ISO_8859_1)))).as(head).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void aHeadLargerThan64KiB_isRefused() {
        String huge = "HTTP/1.1 200 OK\r\nX: " + "a".repeat(70_000) + "\r\n\r\n";
        assertThatThrownBy(() -> ResponseHead.read(new ByteArrayInputStream(huge.getBytes(StandardCharsets.ISO_8859_1))))
                .hasMessageContaining("too large");
    }
}
