package cx.wip.gateway.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import cx.wip.docker.DaemonConnection;
import cx.wip.docker.ResponseHead;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.webserver.ConnectionContext;

/**
 * A hijacked exchange (attach, exec start, BuildKit's /session and /grpc): after the daemon's 101, raw bytes both
 * ways. A client half-close becomes a half-close toward the daemon (stdin ended; output keeps coming); the pipe
 * ends when the daemon closes its side; closing the client connection then ends the upload thread.
 */
final class HijackedPipe {
    private static final AtomicInteger OPEN = new AtomicInteger();

    private final AtomicLong fromClient = new AtomicLong();
    private final AtomicLong toClient = new AtomicLong();

    /** Hijacked sessions open right now (a gauge). */
    static int open() {
        return OPEN.get();
    }

    long bytesFromClient() {
        return fromClient.get();
    }

    long bytesToClient() {
        return toClient.get();
    }

    /** Runs the pipe to its end on the calling thread (the upload direction gets its own virtual thread). */
    void run(ConnectionContext client, DaemonConnection daemon, ResponseHead head) throws IOException {
        OPEN.incrementAndGet();
        DataWriter writer = client.dataWriter();
        Thread.ofVirtual().name("wip-hijack-upload").start(() -> upload(client.dataReader(), daemon));
        try {
            writer.writeNow(BufferData.create(head.toBytes()));
            InputStream in = daemon.input();
            // held while the session idles (1,000 idle attach sessions were 1,000 of these): HAProxy's 16 KiB
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) != -1) {
                writer.writeNow(BufferData.create(buffer, 0, n));
                toClient.addAndGet(n);
            }
        } finally {
            OPEN.decrementAndGet();
            daemon.close();
        }
    }

    private void upload(DataReader reader, DaemonConnection daemon) {
        OutputStream out = daemon.output();
        try {
            while (true) {
                BufferData data = reader.readBuffer();
                fromClient.addAndGet(data.available());
                data.writeTo(out);
                out.flush();
            }
        } catch (DataReader.InsufficientDataAvailableException clientEof) {
            try {
                daemon.shutdownOutput();
            } catch (IOException gone) {
                daemon.close();
            }
        } catch (RuntimeException | IOException broken) {
            // the client or the daemon went away: ending the download direction ends the pipe
            daemon.close();
        }
    }
}
