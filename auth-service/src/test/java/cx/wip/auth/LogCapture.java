package cx.wip.auth;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Every JUL record of this JVM, formatted, for "no secret in logs" checks: wip's own loggers at every level, other
 * libraries at the level they run at (INFO). Helidon's wire debugging (FINE on io.helidon.webserver.http1) prints
 * request headers, Authorization included, and must stay off in production. Helidon re-reads the logging
 * configuration when a server starts (which removes every handler): the capture attaches itself again each time.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final Logger root = Logger.getLogger("");
    private final Logger wip = Logger.getLogger("cx.wip");
    private final Level previous = wip.getLevel();
    private final Runnable reattach = this::attach;

    private LogCapture() {
        setLevel(Level.ALL);
    }

    public static LogCapture start() {
        final LogCapture capture = new LogCapture();
        capture.attach();
        LogManager.getLogManager().addConfigurationListener(capture.reattach);
        return capture;
    }

    private void attach() {
        root.removeHandler(this);
        root.addHandler(this);
        wip.setLevel(Level.ALL);
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
        LogManager.getLogManager().removeConfigurationListener(reattach);
        root.removeHandler(this);
        wip.setLevel(previous);
    }
}
