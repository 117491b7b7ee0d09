package cx.wip.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.databind.JsonNode;

/** The newline-separated JSON values of a streamed answer (events, load progress), each line bounded in size. */
final class JsonLines {
    private static final int MAX_LINE = 1 << 20;

    private JsonLines() {
    }

    /** What is done with each value; may throw to end the stream. */
    @FunctionalInterface
    interface Each {
        void accept(JsonNode value) throws IOException;
    }

    static void each(InputStream in, Each each) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    line.write(buffer, start, i - start);
                    emit(line, each);
                    start = i + 1;
                }
            }
            line.write(buffer, start, n - start);
            if (line.size() > MAX_LINE) {
                throw new IOException("a line of the daemon's stream is longer than " + MAX_LINE + " bytes");
            }
        }
        emit(line, each);
    }

    private static void emit(ByteArrayOutputStream line, Each each) throws IOException {
        byte[] bytes = line.toByteArray();
        line.reset();
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r') {
                each.accept(DockerEngine.JSON.readTree(bytes));
                return;
            }
        }
    }
}
