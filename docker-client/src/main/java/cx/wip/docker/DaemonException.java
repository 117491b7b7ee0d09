package cx.wip.docker;

import java.io.IOException;

/**
 * Why a {@link DockerEngine} call failed: the daemon could not be reached or did not answer in time
 * ({@link DaemonUnreachable}), or it answered with an error ({@link DaemonError}, carrying its own message).
 */
public abstract sealed class DaemonException extends IOException permits DaemonUnreachable, DaemonError {
    DaemonException(String message, Throwable cause) {
        super(message, cause);
    }
}
