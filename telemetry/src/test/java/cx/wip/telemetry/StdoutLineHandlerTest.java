package cx.wip.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

class StdoutLineHandlerTest {
    /** "<thread that formatted>|<message>\n": shows where the formatter ran. */
    private static final Formatter WHERE = new Formatter() {
        @Override
        public String format(LogRecord record) {
            return Thread.currentThread().getName() + "|" + record.getMessage() + "\n";
        }
    };

    @Test
    void everyLineOfManyThreads_isWrittenOnce_inEachThreadsOrder_formattedOnTheLoggingThread() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StdoutLineHandler handler = new StdoutLineHandler(synchronizedStream(out));
        handler.setFormatter(WHERE);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            String name = "logger-" + t;
            threads.add(Thread.ofPlatform().name(name).start(() -> {
                for (int i = 0; i < 2000; i++) {
                    handler.publish(new LogRecord(Level.INFO, name + ":" + i));
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }

        handler.flush();

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(16_000);
        for (int t = 0; t < 8; t++) {
            String name = "logger-" + t;
            List<String> own = lines.stream().filter(line -> line.startsWith(name + "|")).toList();
            assertThat(own).as("formatted on the logging thread, in order").hasSize(2000);
            for (int i = 0; i < 2000; i++) {
                assertThat(own.get(i)).isEqualTo(name + "|" + name + ":" + i);
            }
        }
        handler.close();
    }

    @Test
    void close_writesWhatIsQueued_andLaterRecordsAreDropped() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StdoutLineHandler handler = new StdoutLineHandler(synchronizedStream(out));
        handler.setFormatter(WHERE);
        for (int i = 0; i < 500; i++) {
            handler.publish(new LogRecord(Level.INFO, "m" + i));
        }

        handler.close();
        handler.publish(new LogRecord(Level.INFO, "after"));

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(500).last().asString().endsWith("|m499");
    }

    @Test
    void recordsBelowItsLevel_areNotWritten() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StdoutLineHandler handler = new StdoutLineHandler(synchronizedStream(out));
        handler.setFormatter(WHERE);
        handler.setLevel(Level.WARNING);

        handler.publish(new LogRecord(Level.INFO, "quiet"));
        handler.publish(new LogRecord(Level.WARNING, "loud"));
        handler.close();

        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("quiet").contains("|loud");
    }

    private static java.io.OutputStream synchronizedStream(ByteArrayOutputStream out) {
        return new java.io.OutputStream() {
            @Override
            public synchronized void write(int b) {
                out.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                out.write(b, off, len);
            }
        };
    }
}
