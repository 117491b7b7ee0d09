package cx.wip.docker;

/**
 * The daemon answered with an error: its status and its own {@code message} (Docker's {@code {"message": …}}, or the
 * {@code error} of a streamed answer such as {@code load}, whose status was already 200).
 */
public final class DaemonError extends DaemonException {
    private final int status;
    private final String daemonMessage;

    DaemonError(DaemonAddress daemon, int status, String daemonMessage) {
        super("daemon " + daemon + " answered " + status + ": " + daemonMessage, null);
        this.status = status;
        this.daemonMessage = daemonMessage;
    }

    public int status() {
        return status;
    }

    /** The daemon's own words, e.g. {@code No such container: web}. */
    public String daemonMessage() {
        return daemonMessage;
    }
}
