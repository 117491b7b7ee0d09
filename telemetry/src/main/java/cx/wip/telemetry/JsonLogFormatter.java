package cx.wip.telemetry;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * One JSON object per line: {@code ts} (ISO-8601 UTC), {@code level}, {@code logger}, {@code msg},
 * {@code request_id} and {@code tenant} (when the line is written in a request's scope), {@code thread}, and
 * {@code error} (exception class, message and stack as one string) when the record carries one.
 */
public final class JsonLogFormatter extends Formatter {
    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final JsonStringEncoder JSON = JsonStringEncoder.getInstance();

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(256).append('{');
        field(line, "ts", TS.format(record.getInstant()));
        field(line, "level", record.getLevel().getName());
        field(line, "logger", record.getLoggerName());
        field(line, "msg", formatMessage(record));
        LogFields.requestId().ifPresent(id -> field(line, RequestIds.MDC_REQUEST_ID, id));
        LogFields.tenant().ifPresent(tenant -> field(line, RequestIds.MDC_TENANT, tenant));
        field(line, "thread", LogFields.thread());
        if (record.getThrown() != null) {
            field(line, "error", LogFields.stack(record.getThrown()));
        }
        return line.append("}\n").toString();
    }

    private static void field(StringBuilder line, String name, String value) {
        if (line.length() > 1) {
            line.append(',');
        }
        line.append('"').append(name).append("\":\"").append(JSON.quoteAsString(value == null ? "" : value))
                .append('"');
    }
}
