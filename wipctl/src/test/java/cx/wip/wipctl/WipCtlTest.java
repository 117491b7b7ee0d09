package cx.wip.wipctl;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class WipCtlTest {
    @TempDir
    Path dir;

    @Test
    void help_listsTheCommands_andExitsZero() {
        final StringWriter out = new StringWriter();
        final int code = WipCtl.execute(new String[] {"--help"}, new PrintWriter(out, true), new PrintWriter(new StringWriter()),
                                        (a, k, t) -> {
                                            throw new AssertionError("help must not connect");
                                        });
        assertThat(code).isZero();
        assertThat(out.toString()).contains("tenant").contains("credential").contains("Exit codes").contains("69");
    }

    @Test
    void unknownSubcommand_isAUsageError() {
        final StringWriter err = new StringWriter();
        final int code = WipCtl.execute(new String[] {"tenant", "explode"}, new PrintWriter(new StringWriter()),
                                        new PrintWriter(err, true), (a, k, t) -> null);
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("explode");
    }

    @Test
    void aMissingAdminTokenFile_isExit77_sayingWhereAuthServiceWritesIt() {
        final StringWriter err = new StringWriter();
        final int code = WipCtl.execute(new String[] {"--admin-token-file", dir.resolve("none").toString(), "tenant",
                                                      "list"}, new PrintWriter(new StringWriter()),
                                        new PrintWriter(err, true), (a, k, t) -> {
                                            throw new AssertionError("no token: must not connect");
                                        });
        assertThat(code).isEqualTo(77);
        assertThat(err.toString()).contains("no admin token at " + dir.resolve("none"))
                .contains("auth.admin.token-file").contains("WIP_ADMIN_TOKEN_FILE");
    }

    @Test
    void theAdminTokenFile_isReadAndHandedToTheConnection() throws Exception {
        Files.writeString(dir.resolve("admin.token"), "wip-admin-secret-value\n");
        final String[] seen = new String[1];
        WipCtl.execute(new String[] {"--admin-token-file", dir.resolve("admin.token").toString(), "tenant", "list"},
                       new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), (a, k, t) -> {
                           seen[0] = k;
                           throw new IllegalStateException("stop here");
                       });
        assertThat(seen[0]).isEqualTo("wip-admin-secret-value");
    }

    @Test
    void unauthenticated_isExit77() {
        final Failures.Outcome refused = Failures.outcome(Status.UNAUTHENTICATED.withDescription("admin token not "
                + "accepted").asRuntimeException(), "a:1", 5000);
        assertThat(refused).isEqualTo(new Failures.Outcome(77, "auth-service at a:1 refused the call: admin token not "
                + "accepted"));
    }

    @Test
    void statuses_becomeExitCodes_andUnreachableNamesTheAddress() {
        assertThat(Failures.outcome(Status.NOT_FOUND.withDescription("no tenant 'x'").asRuntimeException(), "a:1", 5000))
                .isEqualTo(new Failures.Outcome(3, "no tenant 'x'"));
        assertThat(Failures.outcome(Status.ALREADY_EXISTS.asRuntimeException(), "a:1", 5000).exitCode()).isEqualTo(4);
        assertThat(Failures.outcome(Status.INVALID_ARGUMENT.asRuntimeException(), "a:1", 5000).exitCode()).isEqualTo(2);
        final Failures.Outcome down = Failures.outcome(Status.UNAVAILABLE.withCause(new java.net.ConnectException("refused"))
                                                               .withDescription("io exception").asRuntimeException(),
                                                       "10.0.0.1:9111", 5000);
        assertThat(down.exitCode()).isEqualTo(69);
        assertThat(down.message()).contains("unreachable at 10.0.0.1:9111");
        final Failures.Outcome storeDown = Failures.outcome(
                Status.UNAVAILABLE.withDescription("auth-service cannot reach its state store (redis)").asRuntimeException(),
                "10.0.0.1:9111", 5000);
        assertThat(storeDown.exitCode()).isEqualTo(69);
        assertThat(storeDown.message()).isEqualTo("auth-service at 10.0.0.1:9111 is unavailable: "
                                                          + "auth-service cannot reach its state store (redis)");
        assertThat(Failures.outcome(Status.DEADLINE_EXCEEDED.asRuntimeException(), "a:1", 5000).message())
                .contains("did not answer within 5000 ms");
        assertThat(Failures.outcome(Status.INTERNAL.asRuntimeException(), "a:1", 5000).exitCode()).isEqualTo(1);
    }

    @Test
    void bundle_writesTheThreeFiles_keyReadableOnlyByOwner() throws Exception {
        final Path written = Bundle.write(dir.resolve("b"), "CA", "CERT", Bundle.newKeyPair());
        assertThat(Files.readString(written.resolve("ca.pem"))).isEqualTo("CA");
        assertThat(Files.readString(written.resolve("cert.pem"))).isEqualTo("CERT");
        assertThat(Files.readString(written.resolve("key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.getPosixFilePermissions(written.resolve("key.pem")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void snippets_areReadyToPaste() {
        assertThat(Snippets.dockerContext("alice", "gw:2376", Path.of("/b")))
                .isEqualTo("docker context create wip-alice --docker \"host=tcp://gw:2376,ca=/b/ca.pem,cert=/b/cert.pem,key=/b/key.pem\"");
        assertThat(Snippets.httpHeaders("T")).isEqualTo("\"HttpHeaders\": { \"Authorization\": \"Bearer T\" }");
        assertThat(Snippets.hostKey("k", "wip.localhost", "localhost:2375")).isEqualTo("DOCKER_HOST=tcp://k.wip.localhost:2375");
    }
}
