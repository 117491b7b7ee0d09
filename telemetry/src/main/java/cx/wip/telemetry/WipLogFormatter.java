package cx.wip.telemetry;

import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The formatter every service's {@code logging.properties} names: JSON lines ({@link JsonLogFormatter}) unless the
 * system property {@code wip.log.format} or the environment variable {@code WIP_LOG_FORMAT} says {@code text}
 * ({@link TextLogFormatter}).
 */
public final class WipLogFormatter extends Formatter {
    private final Formatter format;

    public WipLogFormatter() {
        this(System.getProperty("wip.log.format", System.getenv().getOrDefault("WIP_LOG_FORMAT", "json")));
    }

    WipLogFormatter(String format) {
        this.format = "text".equals(format.trim().toLowerCase(Locale.ROOT)) ? new TextLogFormatter()
                : new JsonLogFormatter();
    }

    @Override
    public String format(LogRecord record) {
        return format.format(record);
    }

    Formatter chosen() {
        return format;
    }
}
