package cx.wip.telemetry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * The log handler every service's {@code logging.properties} names: each record is formatted on the thread that logs
 * it (the formatter reads that thread's request id and tenant), and one writer thread writes what has queued up to
 * standard output in one write — not one locked, flushed write per line on the request path (the gateway's access
 * log was a tenth of its CPU per request that way). Lines keep their order; a full queue makes loggers wait rather
 * than lose lines; {@link #flush()} and {@link #close()} (the JVM's shutdown resets logging) write out what is queued.
 * <p>
 * Properties ({@code cx.wip.telemetry.StdoutLineHandler.}): {@code formatter}, {@code level}.
 */
public final class StdoutLineHandler extends Handler {
    private static final int QUEUE = 8192;

    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(QUEUE);
    private final OutputStream out;
    private final Object written = new Object();
    private final Thread writer;
    private final java.util.concurrent.atomic.AtomicLong queued = new java.util.concurrent.atomic.AtomicLong();
    private long done;
    private volatile boolean closed;

    /** Configured from the {@link LogManager} properties, writing to the process's standard output. */
    public StdoutLineHandler() {
        // System.out, not the file descriptor: a test runner that captures System.out keeps getting the lines
        this(System.out);
        LogManager manager = LogManager.getLogManager();
        String prefix = StdoutLineHandler.class.getName();
        setFormatter(formatter(manager.getProperty(prefix + ".formatter")));
        String level = manager.getProperty(prefix + ".level");
        setLevel(level == null ? Level.ALL : Level.parse(level.strip()));
    }

    /** Writes to {@code out} (tests), with a plain formatter until another is set. */
    StdoutLineHandler(OutputStream out) {
        this.out = out;
        setFormatter(new SimpleFormatter());
        this.writer = Thread.ofPlatform().daemon().name("log-writer").start(this::drain);
    }

    @Override
    public void publish(LogRecord record) {
        if (closed || !isLoggable(record)) {
            return;
        }
        String line;
        try {
            line = getFormatter().format(record);
        } catch (RuntimeException e) {
            reportError("cannot format a log record", e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        queued.incrementAndGet();
        try {
            lines.put(line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queued.decrementAndGet();
        }
    }

    /** Waits (a few seconds at most) until every line published so far is written. */
    @Override
    public void flush() {
        long target = queued.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        synchronized (written) {
            while (done < target && writer.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(written, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Writes out what is queued, then stops the writer; later records are dropped. */
    @Override
    public void close() {
        flush();
        closed = true;
        writer.interrupt();
    }

    private void drain() {
        List<String> batch = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        while (true) {
            try {
                batch.add(lines.take());
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            lines.drainTo(batch);
            for (String line : batch) {
                bytes.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            }
            try {
                bytes.writeTo(out);
                out.flush();
            } catch (IOException e) {
                reportError("cannot write log lines", e, ErrorManager.WRITE_FAILURE);
            }
            synchronized (written) {
                done += batch.size();
                written.notifyAll();
            }
            batch.clear();
            if (bytes.size() > 1 << 20) {
                bytes = new ByteArrayOutputStream(8192); // a burst of huge lines does not stay allocated
            } else {
                bytes.reset();
            }
        }
    }

    private static Formatter formatter(String className) {
        if (className == null || className.isBlank()) {
            return new SimpleFormatter();
        }
        try {
            return (Formatter) ClassLoader.getSystemClassLoader().loadClass(className.strip())
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            return new SimpleFormatter();
        }
    }
}
