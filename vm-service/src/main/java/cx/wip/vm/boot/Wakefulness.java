package cx.wip.vm.boot;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a tenant's engine is awake, why, and when it will sleep, in the words `docker info`, {@code wipctl tenant
 * show} and people read (one place makes them, so every place says the same).
 *
 * @param summary   one line
 * @param reasons   each reason it stays awake
 * @param sleepsAt  when it sleeps if nothing happens, epoch millis; 0 = not while it is in use, or not running
 * @param running   containers running now, -1 = unknown
 */
public record Wakefulness(String summary, List<String> reasons, long sleepsAt, int running) {
    /** Sessions are reported every few seconds while open: a report this recent means one is still open. */
    static final Duration SESSION_FRESH = Duration.ofSeconds(30);

    /** @param plan the tenant's plan; null when it cannot be read now (only a running engine needs it) */
    static Wakefulness of(TenantRecord record, Plan plan, int running, long now) {
        return switch (record.state()) {
            case RUNNING -> plan == null ? new Wakefulness("awake; its plan cannot be read now", List.of(), 0, running)
                    : awake(record, plan, running, now);
            case ASLEEP -> new Wakefulness("asleep since " + at(record.updated()) + " with "
                    + count(record.asleep().size(), "container") + (record.frozen()
                            ? " frozen (light sleep: memory kept, waking takes milliseconds)"
                            : " to start again (the engine stopped)") + "; the next API call or HTTP hit wakes it",
                    List.of(), 0, 0);
            case STOPPED -> new Wakefulness("stopped since " + at(record.updated())
                    + "; the next API call starts it", List.of(), 0, 0);
            case STARTING -> new Wakefulness("starting", List.of(), 0, running);
            case FAILED -> new Wakefulness("its last start failed; the next API call tries again", List.of(), 0, 0);
            case UNKNOWN -> new Wakefulness("not created yet; the first API call starts it", List.of(), 0, 0);
        };
    }

    private static Wakefulness awake(TenantRecord record, Plan plan, int running, long now) {
        List<String> reasons = new ArrayList<>();
        boolean containersKeepAwake = running != 0 && !plan.sleepWithApps();
        if (running > 0) {
            reasons.add(count(running, "running container") + (plan.sleepWithApps() ? ""
                    : " (plan " + plan.name() + " keeps engines with running containers awake)"));
        } else if (running < 0 && !plan.sleepWithApps()) {
            reasons.add("its containers could not be listed");
        }
        if (record.lastSession() > 0 && now - record.lastSession() < SESSION_FRESH.toMillis()) {
            reasons.add("an open session (attach, exec, logs -f, events or a build)");
        }
        if (record.lastActivity() > 0) {
            reasons.add("last API call " + ago(now - record.lastActivity()));
        }
        if (record.lastHttp() > 0) {
            reasons.add("last HTTP hit " + ago(now - record.lastHttp()));
        }
        long sleepsAt = containersKeepAwake ? 0 : record.lastUse() + plan.idleAfter().toMillis();
        String when = containersKeepAwake ? "stays awake while containers run"
                : "sleeps in " + span(Math.max(0, sleepsAt - now)) + " if nothing happens (idle after "
                  + span(plan.idleAfter().toMillis()) + ")";
        String summary = "awake" + (reasons.isEmpty() ? "" : ": " + String.join(", ", reasons)) + "; " + when;
        return new Wakefulness(summary, reasons, sleepsAt, running);
    }

    private static String at(long millis) {
        return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String ago(long millis) {
        return span(Math.max(0, millis)) + " ago";
    }

    /** 45 s, 4 min 48 s, 2 h 5 min. */
    static String span(long millis) {
        long seconds = millis / 1000;
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        return seconds / 3600 + " h" + (seconds % 3600 / 60 == 0 ? "" : " " + seconds % 3600 / 60 + " min");
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
