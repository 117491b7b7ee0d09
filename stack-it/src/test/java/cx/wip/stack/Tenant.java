package cx.wip.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cx.wip.testing.DockerCli;
import cx.wip.testing.Run;

/** A tenant as an operator creates it with the real wipctl, and the bearer token it was given. */
record Tenant(String id, String slug, String token) {
    private static final Pattern ID = Pattern.compile("created: id (\\S+), plan");

    /**
     * {@code wipctl --admin ADMIN --admin-token-file FILE tenant create SLUG --plan free}: fails (to be retried) while
     * auth is not up yet (or has not written its admin token yet).
     */
    static Tenant create(Path root, String admin, Path adminTokenFile, String slug, Path bundle) {
        Run.Result created = Run.of(Stack.javaHome() + "/bin/java", "-jar",
                                    root.resolve("wipctl/target/wipctl.jar").toString(), "--admin", admin,
                                    "--admin-token-file", adminTokenFile.toString(),
                                    "--timeout-ms", "60000",
                                    "tenant", "create", slug, "--plan", "free", "--out", bundle.toString())
                .timeout(Duration.ofSeconds(90)).call().expectSuccess();
        Matcher id = ID.matcher(created.out());
        if (!id.find()) {
            throw new AssertionError("no tenant id in: " + created.out());
        }
        List<String> lines = created.out().lines().toList();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).startsWith("Token ")) {
                return new Tenant(id.group(1), slug, lines.get(i + 1).trim());
            }
        }
        throw new AssertionError("no token in: " + created.out());
    }

    /** The real docker clients at {@code host}, sending this tenant's token (HttpHeaders in their config.json). */
    DockerCli client(String host, Path configDir) {
        try {
            Files.createDirectories(configDir);
            Files.writeString(configDir.resolve("config.json"),
                              "{\"HttpHeaders\":{\"Authorization\":\"Bearer " + token + "\"}}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return DockerCli.at(host, configDir);
    }
}
