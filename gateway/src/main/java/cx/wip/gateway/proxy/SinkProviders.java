package cx.wip.gateway.proxy;

import java.util.function.BiConsumer;
import java.util.function.Function;

import io.helidon.common.GenericType;
import io.helidon.common.media.type.MediaType;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http.spi.Sink;
import io.helidon.webserver.http.spi.SinkProvider;
import io.helidon.webserver.http.spi.SinkProviderContext;

/** Registers {@link BodySink} and {@link RawSink} with Helidon (listed in META-INF/services). */
public final class SinkProviders {
    private SinkProviders() {
    }

    /** Provides {@link BodySink}. */
    public static final class Body extends Base {
        public Body() {
            super(BodySink.TYPE, BodySink::new);
        }
    }

    /** Provides {@link RawSink}. */
    public static final class Raw extends Base {
        public Raw() {
            super(RawSink.TYPE, RawSink::new);
        }
    }

    private abstract static class Base implements SinkProvider<Object> {
        private final GenericType<?> type;
        private final Function<SinkProviderContext, Sink<Object>> factory;

        Base(GenericType<?> type, Function<SinkProviderContext, Sink<Object>> factory) {
            this.type = type;
            this.factory = factory;
        }

        @Override
        public boolean supports(GenericType<? extends Sink<?>> requested, ServerRequest request) {
            return type.equals(requested);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <X extends Sink<Object>> X create(SinkProviderContext context) {
            return (X) factory.apply(context);
        }

        @Override
        @Deprecated
        public <X extends Sink<Object>> X create(ServerResponse response,
                                                 BiConsumer<Object, MediaType> eventConsumer,
                                                 Runnable closeRunnable) {
            throw new UnsupportedOperationException("needs the SinkProviderContext");
        }
    }
}
