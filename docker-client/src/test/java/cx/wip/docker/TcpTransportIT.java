package cx.wip.docker;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The host's dockerd over plain TCP, through socat on a free loopback port. */
class TcpTransportIT extends DaemonTransportContract {
    private static Socat forwarder;
    private static int closedPort;

    @BeforeAll
    static void start() throws Exception {
        forwarder = Socat.tcp("127.0.0.1");
        closedPort = Socat.freePort("127.0.0.1");
    }

    @AfterAll
    static void stop() {
        forwarder.close();
    }

    @Override
    protected DaemonTransport transport() {
        return new TcpTransport(DaemonAddress.parse("tcp://127.0.0.1:" + forwarder.port()), Duration.ofSeconds(5));
    }

    @Override
    protected DaemonTransport nowhere() {
        return new TcpTransport(DaemonAddress.parse("tcp://127.0.0.1:" + closedPort), Duration.ofSeconds(5));
    }
}
