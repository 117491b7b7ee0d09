package cx.wip.gateway.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkedOutputStreamTest {
    @Test
    void framesEachChunkInPlace_inOneWrite() throws IOException {
        List<Integer> writes = new ArrayList<>();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                writes.add(1);
                wire.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
                wire.write(b, off, len);
            }
        };
        ChunkedOutputStream chunks = new ChunkedOutputStream(counting);
        byte[] buffer = new byte[ChunkedOutputStream.HEADROOM + 64 * 1024 + ChunkedOutputStream.TAILROOM];
        byte[] data = "hello, daemon".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(data, 0, buffer, ChunkedOutputStream.HEADROOM, data.length);

        chunks.writeFramed(buffer, ChunkedOutputStream.HEADROOM, data.length);
        chunks.writeFramed(buffer, ChunkedOutputStream.HEADROOM, 0);
        chunks.write("x".getBytes(StandardCharsets.US_ASCII), 0, 1);
        chunks.finish();

        assertThat(wire.toString(StandardCharsets.US_ASCII)).isEqualTo("d\r\nhello, daemon\r\n1\r\nx\r\n0\r\n\r\n");
        assertThat(writes).containsExactly(2 + 1 + 13 + 2, 3 + 1 + 2, 5);
    }

    @Test
    void aLargeChunk_getsItsFullSizeLine() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        byte[] buffer = new byte[ChunkedOutputStream.HEADROOM + 65536 + ChunkedOutputStream.TAILROOM];
        new ChunkedOutputStream(wire).writeFramed(buffer, ChunkedOutputStream.HEADROOM, 65536);
        byte[] out = wire.toByteArray();
        assertThat(new String(out, 0, 7, StandardCharsets.US_ASCII)).isEqualTo("10000\r\n");
        assertThat(out).hasSize(7 + 65536 + 2);
        assertThat(new String(out, out.length - 2, 2, StandardCharsets.US_ASCII)).isEqualTo("\r\n");
    }

    @Test
    void refusesToFrame_withoutRoom() {
        ChunkedOutputStream chunks = new ChunkedOutputStream(OutputStream.nullOutputStream());
        assertThatThrownBy(() -> chunks.writeFramed(new byte[20], 2, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> chunks.writeFramed(new byte[20], 10, 9)).isInstanceOf(IllegalArgumentException.class);
    }
}
