package cx.wip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The docker CLI plug-ins (compose v2, buildx) that {@code .ci/clients.sh} installs into {@code ~/.docker/cli-plugins}.
 * The CLI looks for plug-ins in {@code $DOCKER_CONFIG/cli-plugins}, so a client with a private config directory sees
 * none unless they are linked there; with buildx linked, {@code docker build} on CLI 28 is buildx, as for users.
 */
public final class CliPlugins {
    /** {@code $WIP_CLI_PLUGINS}, else {@code ~/.docker/cli-plugins} (where {@code .ci/clients.sh} puts them). */
    public static final Path INSTALLED = Path.of(System.getenv().getOrDefault("WIP_CLI_PLUGINS",
            Path.of(System.getProperty("user.home"), ".docker", "cli-plugins").toString()));

    private CliPlugins() {
    }

    /** Links every installed plug-in into {@code configDir/cli-plugins}; idempotent. Returns {@code configDir}. */
    public static Path link(Path configDir) {
        if (!Files.isDirectory(INSTALLED)) {
            return configDir;
        }
        Path plugins = configDir.resolve("cli-plugins");
        try (Stream<Path> installed = Files.list(INSTALLED)) {
            Files.createDirectories(plugins);
            for (Path plugin : installed.filter(p -> p.getFileName().toString().startsWith("docker-")).toList()) {
                Path link = plugins.resolve(plugin.getFileName());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, plugin.toAbsolutePath());
                }
            }
            return configDir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot link the docker CLI plug-ins into " + plugins, e);
        }
    }

    /** Whether {@code docker-<name>} is installed (tests of v2 clients fail loudly without it, never skip). */
    public static boolean installed(String name) {
        return Files.isExecutable(INSTALLED.resolve("docker-" + name));
    }
}
