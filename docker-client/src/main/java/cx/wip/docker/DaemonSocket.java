package cx.wip.docker;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;

/**
 * One open byte stream to a daemon, unbuffered. Half-close ({@link #shutdownOutput}) is what hijacked stdin needs: the
 * daemon sees EOF and keeps sending output; over TLS 1.3 it is a {@code close_notify}.
 */
public interface DaemonSocket extends Closeable {
    InputStream in() throws IOException;

    OutputStream out() throws IOException;

    void shutdownOutput() throws IOException;

    /** A unix-domain socket channel (closing it, or interrupting a reader, ends a blocked read). */
    static DaemonSocket of(SocketChannel channel) {
        return new DaemonSocket() {
            @Override
            public InputStream in() {
                return Channels.newInputStream(channel);
            }

            @Override
            public OutputStream out() {
                return Channels.newOutputStream(channel);
            }

            @Override
            public void shutdownOutput() throws IOException {
                channel.shutdownOutput();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /** A connected TCP or TLS socket. */
    static DaemonSocket of(Socket socket) {
        return new DaemonSocket() {
            @Override
            public InputStream in() throws IOException {
                return socket.getInputStream();
            }

            @Override
            public OutputStream out() throws IOException {
                return socket.getOutputStream();
            }

            @Override
            public void shutdownOutput() throws IOException {
                socket.shutdownOutput();
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }
}
