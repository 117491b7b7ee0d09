package cx.wip.vm.boot;

/** Recorded lifecycle state of a tenant daemon. */
public enum State {
    UNKNOWN, STARTING, RUNNING, STOPPED, FAILED,
    /** Stopped for idleness while it ran containers, which the next ensure starts again. */
    ASLEEP;

    static State parse(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(value);
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
