package cx.wip.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway when auth-service goes away and comes back, and when someone guesses credentials: the real docker
 * CLI against the real gateway, auth-service and Redis.
 */
class GatewayOutageIT {
    @TempDir
    Path dir;

    @Test
    void authServiceDown_is503WithAClearMessage_thenRecoversByItself_withEveryTenantKept() throws Exception {
        try (Stack stack = Stack.start(dir)) {
            final String token = stack.wipctl("tenant", "create", "outage", "--out", dir.resolve("b").toString()).token();
            final DockerCli docker = DockerCli.in(dir.resolve("cli"), Map.of("DOCKER_HOST", stack.plainHost()))
                    .withBearer(token);
            assertThat(docker.docker("ps").exitCode()).isZero();

            stack.stopAuth();
            Thread.sleep(2100);
            final DockerCli.Result down = docker.docker("ps");
            assertThat(down.exitCode()).isNotZero();
            assertThat(down.err()).contains("wip authentication service unavailable; retry in a few seconds");

            stack.restartAuth();
            final long back = System.nanoTime();
            DockerCli.Result ps;
            do {
                ps = docker.docker("ps");
            } while (ps.exitCode() != 0 && System.nanoTime() - back < Duration.ofSeconds(20).toNanos());
            System.out.println("gateway served again " + Duration.ofNanos(System.nanoTime() - back).toMillis()
                                       + " ms after auth-service was back");
            assertThat(ps.exitCode()).as(ps.all()).isZero();
            assertThat(stack.wipctl("tenant", "list").out()).contains("outage");
        }
    }

    @Test
    void guessingTokens_isThrottledPerAddress_with429AndAMessage() {
        // one `docker ps` makes up to three failing requests (HEAD /_ping, GET /_ping, the call): room for the first
        try (Stack stack = Stack.start(dir, Map.of("gateway.auth.throttle.failures", "6"))) {
            final String token = stack.wipctl("tenant", "create", "guessed", "--out", dir.resolve("b").toString()).token();
            final DockerCli guesser = DockerCli.in(dir.resolve("guess"), Map.of("DOCKER_HOST", stack.plainHost()))
                    .withBearer("wip-aaaaaaaaaa-" + "c".repeat(40));
            final DockerCli.Result first = guesser.docker("ps");
            assertThat(first.err()).contains("credential not recognised");
            DockerCli.Result guess = first;
            int attempts = 1;
            while (!guess.err().contains("too many failed authentications") && attempts < 8) {
                guess = guesser.docker("ps");
                attempts++;
            }
            assertThat(guess.err()).as("after %d CLI attempts", attempts)
                    .contains("too many failed authentications from your address; retry in");
            final DockerCli.Result throttled = DockerCli.in(dir.resolve("real"), Map.of("DOCKER_HOST", stack.plainHost()))
                    .withBearer(token).docker("ps");
            assertThat(throttled.exitCode()).isNotZero();
            assertThat(throttled.err()).contains("too many failed authentications from your address; retry in");
        }
    }
}
