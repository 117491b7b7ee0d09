package cx.wip.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import cx.wip.docker.DaemonAddress;
import cx.wip.docker.DaemonConnection;
import cx.wip.docker.DaemonTransport;
import cx.wip.docker.ResponseHead;

/**
 * One Docker API request on its own connection, over a unix socket or TCP, answered whole: what a test needs to send
 * the very same bytes to the engine and to the gateway. Spoken with docker-client's {@link DaemonConnection}, which
 * writes the target byte for byte.
 */
record RawDocker(DaemonAddress address) {

    static RawDocker unix(String path) {
        return new RawDocker(DaemonAddress.parse("unix://" + path));
    }

    static RawDocker tcp(int port) {
        return new RawDocker(DaemonAddress.parse("tcp://127.0.0.1:" + port));
    }

    record Answer(int status, String body) {
    }

    Answer send(String method, String target, String json) throws IOException {
        try (DaemonConnection connection = DaemonConnection.open(DaemonTransport.of(address, Optional.empty(),
                Duration.ofSeconds(5)))) {
            byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            List<ResponseHead.Header> headers = new ArrayList<>(List.of(new ResponseHead.Header("Connection", "close")));
            if (json != null) {
                headers.add(new ResponseHead.Header("Content-Type", "application/json"));
                headers.add(new ResponseHead.Header("Content-Length", Integer.toString(body.length)));
            }
            connection.writeHead(method, target, headers);
            connection.output().write(body);
            ResponseHead head = connection.readHead();
            return new Answer(head.status(), new String(connection.body(head, "HEAD".equals(method)).readAllBytes(),
                    StandardCharsets.UTF_8));
        }
    }
}
