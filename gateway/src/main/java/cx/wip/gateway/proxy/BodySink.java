package cx.wip.gateway.proxy;

import java.io.OutputStream;

import io.helidon.common.GenericType;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.spi.Sink;
import io.helidon.webserver.http.spi.SinkProviderContext;

/**
 * A response body written through Helidon's sink SPI: headers can be sent before any body exists (long polls),
 * and every piece of body is flushed as it arrives. Status and headers must be set before it is created.
 */
final class BodySink implements Sink<Object> {
    static final GenericType<BodySink> TYPE = GenericType.create(BodySink.class);

    private final SinkProviderContext context;
    private final OutputStream body;
    private final ConnectionContext connection;

    BodySink(SinkProviderContext context) {
        this.context = context;
        this.body = context.serverResponse().outputStream();
        this.connection = context.connectionContext();
    }

    /** The client connection, to notice a client that goes away during an idle stream. */
    ConnectionContext connection() {
        return connection;
    }

    OutputStream body() {
        return body;
    }

    /** Sends status and headers now, before any body. */
    void flushHeaders() {
        context.flushHeaders();
    }

    @Override
    public Sink<Object> emit(Object event) {
        throw new UnsupportedOperationException("write to body()");
    }

    /** Completes the response (terminating chunk when chunked). */
    @Override
    public void close() {
        context.closeRunnable().run();
    }
}
