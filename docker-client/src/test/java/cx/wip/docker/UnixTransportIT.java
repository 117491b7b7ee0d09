package cx.wip.docker;

/** The host's dockerd on its unix socket. */
class UnixTransportIT extends DaemonTransportContract {
    @Override
    protected DaemonTransport transport() {
        return new UnixTransport(DaemonAddress.parse("unix://" + Socat.HOST_SOCKET));
    }

    @Override
    protected DaemonTransport nowhere() {
        return new UnixTransport(DaemonAddress.parse("unix:///run/wip-no-such-daemon.sock"));
    }
}
