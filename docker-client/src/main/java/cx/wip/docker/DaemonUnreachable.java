package cx.wip.docker;

/** The daemon refused the connection, is gone, broke the exchange, or did not answer within the call's timeout. */
public final class DaemonUnreachable extends DaemonException {
    DaemonUnreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
