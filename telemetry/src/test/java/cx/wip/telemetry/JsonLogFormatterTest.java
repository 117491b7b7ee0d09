package cx.wip.telemetry;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLogFormatterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonLogFormatter formatter = new JsonLogFormatter();

    @Test
    void oneObjectPerLine_withTheBasicFields() throws Exception {
        LogRecord record = record(Level.WARNING, "disk {0} is {1}% full", "sda", 93);
        record.setInstant(Instant.parse("2026-01-31T12:34:56.789Z"));

        String line = formatter.format(record);

        assertThat(line).endsWith("}\n").doesNotContain("\r").hasLineCount(1);
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("ts").asText()).isEqualTo("2026-01-31T12:34:56.789Z");
        assertThat(json.get("level").asText()).isEqualTo("WARNING");
        assertThat(json.get("logger").asText()).isEqualTo("cx.wip.test");
        assertThat(json.get("msg").asText()).isEqualTo("disk sda is 93% full");
        assertThat(json.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(json.has("request_id")).isFalse();
        assertThat(json.has("tenant")).isFalse();
        assertThat(json.has("error")).isFalse();
    }

    @Test
    void escapesQuotesBackslashesControlCharactersAndKeepsUnicode() throws Exception {
        String nasty = "say \"hi\" \\ path\nsecond line\ttab \u0001 bell \u2014 dash {\"x\":1}";

        String line = formatter.format(record(Level.INFO, nasty));

        assertThat(line).hasLineCount(1);
        assertThat(JSON.readTree(line).get("msg").asText()).isEqualTo(nasty);
    }

    @Test
    void carriesRequestAndTenantIds_inARequestsScope() throws Exception {
        String line;
        try (RequestIds.Scope ignored = RequestIds.enter("obs-7", "tenant-z")) {
            line = formatter.format(record(Level.INFO, "inside"));
        }
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("request_id").asText()).isEqualTo("obs-7");
        assertThat(json.get("tenant").asText()).isEqualTo("tenant-z");
    }

    @Test
    void errorIsClassMessageAndStack_asOneString() throws Exception {
        LogRecord record = record(Level.SEVERE, "failed");
        record.setThrown(new IllegalStateException("bad \"state\"", new java.io.IOException("root cause")));

        String line = formatter.format(record);

        assertThat(line).hasLineCount(1);
        String error = JSON.readTree(line).get("error").asText();
        assertThat(error).startsWith("java.lang.IllegalStateException: bad \"state\"\n\tat ")
                .contains("JsonLogFormatterTest")
                .contains("Caused by: java.io.IOException: root cause");
    }

    @Test
    void formatChosenByWipLogFormat() {
        assertThat(new WipLogFormatter("text").chosen()).isInstanceOf(TextLogFormatter.class);
        assertThat(new WipLogFormatter(" TEXT ").chosen()).isInstanceOf(TextLogFormatter.class);
        assertThat(new WipLogFormatter("json").chosen()).isInstanceOf(JsonLogFormatter.class);
        assertThat(new WipLogFormatter("anything else").chosen()).isInstanceOf(JsonLogFormatter.class);
    }

    @Test
    void textFormat_isOneReadableLineWithTheIds() {
        LogRecord record = record(Level.INFO, "booted {0}", "alice");
        record.setInstant(Instant.parse("2026-01-31T12:34:56.789Z"));
        String line;
        try (RequestIds.Scope ignored = RequestIds.enter("obs-8", "alice")) {
            line = new TextLogFormatter().format(record);
        }
        assertThat(line).isEqualTo("2026-01-31T12:34:56.789Z INFO cx.wip.test [obs-8 alice] booted alice\n");
    }

    private static LogRecord record(Level level, String message, Object... parameters) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName("cx.wip.test");
        record.setParameters(parameters.length == 0 ? null : parameters);
        return record;
    }
}
