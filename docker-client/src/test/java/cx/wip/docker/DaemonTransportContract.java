package cx.wip.docker;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import cx.wip.testing.DockerCli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every transport into a daemon must do, against a real dockerd: each transport subclasses this in a few lines
 * (the shape of docker-java's transport TCK). The typed calls of {@link DockerEngine} and the raw
 * {@link DaemonConnection} the gateway forwards with — chunked answers, keep-alive, hijack and half-close — all run
 * over {@link #transport()}.
 */
abstract class DaemonTransportContract {
    private static final String LABEL = "cx.wip.contract";
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private DockerEngine engine;

    /** A transport to a real dockerd that has {@link DockerCli#BUSYBOX}. */
    protected abstract DaemonTransport transport();

    /** The same kind of transport, to where no daemon listens. */
    protected abstract DaemonTransport nowhere();

    protected DockerEngine engine() {
        if (engine == null) {
            engine = new DockerEngine(transport(), Duration.ofSeconds(60));
        }
        return engine;
    }

    @AfterEach
    void removeContainers() throws Exception {
        for (JsonNode container : engine().containers(true, Map.of("label", List.of(LABEL + "=" + run)))) {
            engine().removeContainer(container.path("Id").asText());
        }
    }

    @Test
    void ping_answers() {
        assertThat(engine().ping()).isTrue();
    }

    @Test
    void info_isReadAsJson() throws Exception {
        JsonNode info = engine().info();

        assertThat(info.path("ID").asText()).isNotBlank();
        assertThat(info.path("ServerVersion").asText()).isNotBlank();
    }

    @Test
    void aChunkedAnswer_isDecodedToItsEnd_andTheConnectionServesTheNextRequest() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        try (DaemonConnection connection = DaemonConnection.open(transport())) {
            connection.writeHead("GET", "/events?since=" + (now - 3600) + "&until=" + now, List.of());
            ResponseHead head = connection.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.chunked()).isTrue();
            connection.body(head, false).readAllBytes();

            connection.writeHead("GET", "/_ping", List.of());
            ResponseHead ping = connection.readHead();
            assertThat(ping.status()).isEqualTo(200);
            assertThat(new String(connection.body(ping, false).readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("OK");
        }
    }

    @Test
    void aList_isFilteredByLabel() throws Exception {
        String id = create("true");

        assertThat(engine().containers(true, Map.of("label", List.of(LABEL + "=" + run))))
                .extracting(container -> container.path("Id").asText()).containsExactly(id);
        assertThat(engine().inspectContainer(id).orElseThrow().path("Config").path("Labels").path(LABEL).asText())
                .isEqualTo(run);
        assertThat(engine().inspectContainer("wip-contract-no-such-" + run)).isEmpty();
    }

    @Test
    void events_arriveAsTheyHappen_untilTheFollowerIsInterrupted() throws Exception {
        BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        CountDownLatch open = new CountDownLatch(1);
        Thread follower = Thread.ofVirtual().start(() -> {
            try {
                engine().events(Map.of("label", List.of(LABEL + "=" + run)), open::countDown, events::add);
            } catch (DaemonException ended) {
                // interrupted: the stream is closed
            }
        });
        assertThat(open.await(30, TimeUnit.SECONDS)).isTrue();

        String id = create("true");

        JsonNode event = events.poll(30, TimeUnit.SECONDS);
        assertThat(event).isNotNull();
        assertThat(event.path("Action").asText()).isEqualTo("create");
        assertThat(event.path("Actor").path("ID").asText()).isEqualTo(id);
        follower.interrupt();
        assertThat(follower.join(Duration.ofSeconds(10))).as("the follower ends when interrupted").isTrue();
    }

    @Test
    void anImage_goesOutAndBackIn_asAStreamedBody(@org.junit.jupiter.api.io.TempDir Path work) throws Exception {
        Path tarball = work.resolve("busybox.tar");

        engine().save(List.of(DockerCli.BUSYBOX), tarball);
        assertThat(Files.size(tarball)).isGreaterThan(100_000);

        engine().load(tarball);
    }

    @Test
    void anErrorStatus_carriesTheDaemonsMessage(@org.junit.jupiter.api.io.TempDir Path work) {
        assertThatThrownBy(() -> engine().save(List.of("wip-contract/no-such-image:" + run), work.resolve("x.tar")))
                .isInstanceOfSatisfying(DaemonError.class, error -> {
                    assertThat(error.status()).isEqualTo(404);
                    assertThat(error.daemonMessage()).isEqualTo("reference does not exist");
                });
        assertThatThrownBy(() -> engine().startContainer("wip-contract-no-such-" + run))
                .isInstanceOfSatisfying(DaemonError.class, error -> assertThat(error.daemonMessage())
                        .contains("No such container"));
    }

    @Test
    void aDaemonThatIsGone_isAClearError() {
        DockerEngine gone = new DockerEngine(nowhere(), Duration.ofSeconds(5));

        assertThat(gone.ping()).isFalse();
        assertThatThrownBy(gone::info).isInstanceOf(DaemonUnreachable.class)
                .hasMessageContaining(nowhere().address().toString()).hasMessageContaining("unreachable");
    }

    @Test
    void aHijackedAttach_halfClosesStdin_andTheOutputAfterItStillArrives() throws Exception {
        String id = engine().createContainer("{\"Image\":\"" + DockerCli.BUSYBOX + "\",\"Cmd\":[\"sh\",\"-c\","
                + "\"cat; echo after-eof\"],\"OpenStdin\":true,\"StdinOnce\":true,\"AttachStdin\":true,"
                + "\"AttachStdout\":true,\"Labels\":{\"" + LABEL + "\":\"" + run + "\"},"
                + "\"HostConfig\":{\"NetworkMode\":\"none\"}}");
        try (DaemonConnection connection = DaemonConnection.open(transport())) {
            connection.writeHead("POST", "/containers/" + id + "/attach?stream=1&stdin=1&stdout=1",
                    List.of(new ResponseHead.Header("Connection", "Upgrade"), new ResponseHead.Header("Upgrade", "tcp")));
            assertThat(connection.readHead().status()).isEqualTo(101);
            engine().startContainer(id);

            connection.output().write("through the hijack\n".getBytes(StandardCharsets.UTF_8));
            connection.shutdownOutput();

            assertThat(stdout(connection.input())).isEqualTo("through the hijack\nafter-eof\n");
        }
    }

    /** Creates a labelled container running {@code command} (not started). */
    private String create(String command) throws Exception {
        return engine().createContainer("{\"Image\":\"" + DockerCli.BUSYBOX + "\",\"Cmd\":[\"" + command + "\"],"
                + "\"Labels\":{\"" + LABEL + "\":\"" + run + "\"},\"HostConfig\":{\"NetworkMode\":\"none\"}}");
    }

    /** Stdout of a multiplexed (non-TTY) attach stream, read until the daemon closes it. */
    private static String stdout(InputStream raw) throws Exception {
        DataInputStream in = new DataInputStream(raw);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int stream;
            try {
                stream = in.readUnsignedByte();
            } catch (EOFException end) {
                return out.toString(StandardCharsets.UTF_8);
            }
            in.skipNBytes(3);
            byte[] frame = in.readNBytes(in.readInt());
            if (stream == 1) {
                out.write(frame);
            }
        }
    }
}
