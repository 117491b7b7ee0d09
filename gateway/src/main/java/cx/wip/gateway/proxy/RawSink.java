package cx.wip.gateway.proxy;

import io.helidon.common.GenericType;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.spi.Sink;
import io.helidon.webserver.http.spi.SinkProviderContext;

/** Takes over the client connection after the daemon's 101: raw bytes both ways, no HTTP framing. */
final class RawSink implements Sink<Object> {
    static final GenericType<RawSink> TYPE = GenericType.create(RawSink.class);

    private final ConnectionContext connection;

    RawSink(SinkProviderContext context) {
        this.connection = context.connectionContext();
    }

    ConnectionContext connection() {
        return connection;
    }

    @Override
    public Sink<Object> emit(Object event) {
        throw new UnsupportedOperationException("write to the connection");
    }

    @Override
    public void close() {
        // the hijacked connection is closed by ending the exchange with CloseConnectionException
    }
}
