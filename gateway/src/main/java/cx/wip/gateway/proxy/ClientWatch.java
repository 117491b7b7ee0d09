package cx.wip.gateway.proxy;

import cx.wip.docker.DaemonConnection;

import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.ConnectionContext;

/**
 * Watches the client of an idle stream ({@code events}, {@code logs -f}, {@code wait}): when it goes away, the
 * daemon connection is closed at once instead of lingering until the next event. Only used for exchanges that
 * have no request body and end the connection afterwards, so nothing else reads the client meanwhile.
 */
final class ClientWatch implements AutoCloseable {
    private volatile boolean done;

    private ClientWatch(ConnectionContext client, DaemonConnection daemon) {
        Thread.ofVirtual().name("wip-client-watch").start(() -> {
            try {
                client.dataReader().ensureAvailable();
            } catch (DataReader.InsufficientDataAvailableException | IllegalStateException clientGone) {
                if (!done) {
                    daemon.close();
                }
            } catch (RuntimeException ignored) {
                // connection closed under us after the stream ended
            }
        });
    }

    static ClientWatch start(ConnectionContext client, DaemonConnection daemon) {
        return new ClientWatch(client, daemon);
    }

    /** The stream ended normally; the connection is closed next, which wakes the watcher. */
    @Override
    public void close() {
        done = true;
    }
}
