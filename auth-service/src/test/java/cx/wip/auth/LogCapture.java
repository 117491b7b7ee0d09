package cx.wip.auth;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Every JUL record of this JVM (all loggers, all levels down to FINE), formatted, for "no secret in logs" checks. */
public final class LogCapture extends Handler implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final Logger root = Logger.getLogger("");
    private final Level previous = root.getLevel();

    private LogCapture() {
        setLevel(Level.ALL);
    }

    public static LogCapture start() {
        final LogCapture capture = new LogCapture();
        capture.root.addHandler(capture);
        capture.root.setLevel(Level.FINE);
        Logger.getLogger("cx.wip").setLevel(Level.ALL);
        return capture;
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** All captured text joined. */
    public String text() {
        return String.join("\n", lines);
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(formatter.format(record));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
        root.setLevel(previous);
    }
}
