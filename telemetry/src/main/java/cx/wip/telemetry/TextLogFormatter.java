package cx.wip.telemetry;

import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The same fields as {@link JsonLogFormatter} as one readable line (plus the stack, when there is one):
 * {@code 2026-01-31T12:00:00.000Z INFO cx.wip.auth.AuthMain [request_id tenant] message}.
 */
public final class TextLogFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(160)
                .append(JsonLogFormatter.TS.format(record.getInstant())).append(' ')
                .append(record.getLevel().getName()).append(' ')
                .append(record.getLoggerName()).append(' ');
        LogFields.requestId().ifPresent(id -> line.append('[').append(id)
                .append(LogFields.tenant().map(tenant -> " " + tenant).orElse("")).append("] "));
        line.append(formatMessage(record)).append('\n');
        if (record.getThrown() != null) {
            line.append(LogFields.stack(record.getThrown())).append('\n');
        }
        return line.toString();
    }
}
