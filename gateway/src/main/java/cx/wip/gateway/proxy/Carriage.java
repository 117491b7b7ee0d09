package cx.wip.gateway.proxy;

/** How an exchange is carried between the client and the daemon. */
public enum Carriage {
    /** request and response streamed through, connection kept alive */
    FORWARD,
    /** long poll or endless stream: headers flushed at once, the client watched for disconnect, connection closed after */
    STREAM,
    /** {@code Upgrade: tcp|h2c}: becomes a raw two-way byte pipe after the daemon's 101 */
    HIJACK
}
