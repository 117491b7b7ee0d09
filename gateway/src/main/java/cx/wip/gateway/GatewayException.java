package cx.wip.gateway;

/**
 * Every error the gateway answers itself. Mapped once, in {@link DockerErrors}, to a Docker-style
 * {@code {"message": "..."}} body with this status, which the CLI prints as "Error response from daemon: ...".
 */
public class GatewayException extends RuntimeException {
    private final int status;

    public GatewayException(int status, String message) {
        super(message);
        this.status = status;
    }

    public GatewayException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
