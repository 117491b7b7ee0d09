package cx.wip.ingress.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A compose project directory: the busybox page server as services with {@code com.wip.http} labels. */
final class ComposeProject {
    private ComposeProject() {
    }

    /**
     * @param services pairs of service name and label value; each service serves "page-of-NAME" on port 80, publishes
     *                 it on a random loopback port and restarts when it crashes
     */
    static Path create(Path parent, String name, String... services) {
        StringBuilder yaml = new StringBuilder("version: \"2.4\"\nservices:\n");
        for (int i = 0; i < services.length; i += 2) {
            yaml.append("  ").append(services[i]).append(":\n")
                    .append("    image: wip-test/busybox:latest\n")
                    .append("    command: [\"sh\", \"-c\", \"mkdir -p /www && echo page-of-").append(services[i])
                    .append(" > /www/index.html && exec httpd -f -p 80 -h /www\"]\n")
                    .append("    ports: [\"127.0.0.1::80\"]\n")
                    .append("    restart: always\n")
                    .append("    labels:\n")
                    .append("      com.wip.http: \"").append(services[i + 1]).append("\"\n");
        }
        Path dir = parent.resolve(name);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("docker-compose.yml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
