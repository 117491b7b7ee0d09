package cx.wip.policy.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The escape corpus ({@code escape-corpus.txt}), each case sent the way a user would — docker CLI, a compose file,
 * or the raw API — through the real gateway and policy-service to the real dockerd; each must fail with our message.
 */
class EscapeCorpusIT {
    private static Stack stack;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws IOException {
        stack = Stack.start();
        Files.writeString(Files.createDirectories(work.resolve("ctx")).resolve("Dockerfile"),
                "FROM " + Stack.IMAGE + "\nRUN true\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        // nothing here should exist; if a case was wrongly allowed, do not leave it behind
        Stack.host("network", "rm", "wip-corpus-net");
        Stack.host("volume", "rm", "wip-corpus-vol");
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                EscapeCorpusIT.class.getResourceAsStream("/escape-corpus.txt"), StandardCharsets.UTF_8))) {
            int line = 0;
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                line++;
                if (text.isBlank() || text.startsWith("#")) {
                    continue;
                }
                String[] parts = text.split(" \\| ", 3);
                cases.add(Arguments.of(line, parts[0].trim(), parts[1].trim(), parts[2].trim()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "line {0}: {1} {2}")
    @MethodSource("cases")
    void printsOurMessage(int line, String via, String sent, String expected) throws Exception {
        String printed;
        if (via.equals("cli")) {
            Stack.Result result = stack.docker(work, args(sent.replace("{ctx}", work.resolve("ctx").toString())));
            assertThat(result.exit()).as(result.output()).isNotZero();
            printed = result.output();
        } else if (via.equals("compose")) {
            printed = compose(line, sent);
        } else {
            printed = api(via.substring(4), sent);
        }
        assertThat(printed).contains("wip: ").contains(expected);
    }

    private static String compose(int line, String file) throws Exception {
        Path dir = Files.createDirectories(work.resolve("compose-" + line));
        Files.writeString(dir.resolve("docker-compose.yml"), file + "\n");
        String project = "wippolicyit" + line;
        try {
            Stack.Result up = stack.compose(dir, project, "up", "-d", "--no-build");
            assertThat(up.exit()).as(up.output()).isNotZero();
            return up.output();
        } finally {
            // what compose made before the refusal (networks, volumes): removed straight on the daemon, faster
            // than a second compose run
            Stack.removeProject(project);
        }
    }

    /** Raw API: JSON body for body-reviewed operations, the query for BUILD and IMAGE_PULL. */
    private static String api(String operation, String sent) throws Exception {
        String base = "http://127.0.0.1:" + stack.port() + "/v1.41";
        HttpRequest.Builder request = switch (operation) {
            case "CONTAINER_CREATE" -> post(base + "/containers/create?name=wip-policy-it-api", sent);
            case "CONTAINER_UPDATE" -> post(base + "/containers/wip-policy-it-none/update", sent);
            case "EXEC_CREATE" -> post(base + "/containers/wip-policy-it-none/exec", sent);
            case "NETWORK_CREATE" -> post(base + "/networks/create", sent);
            case "NETWORK_CONNECT" -> post(base + "/networks/bridge/connect", sent);
            case "VOLUME_CREATE" -> post(base + "/volumes/create", sent);
            case "BUILD" -> HttpRequest.newBuilder(URI.create(base + "/build?" + sent))
                    .header("Content-Type", "application/x-tar")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024]));
            case "IMAGE_PULL" -> HttpRequest.newBuilder(URI.create(base + "/images/create?" + sent))
                    .POST(HttpRequest.BodyPublishers.noBody());
            default -> throw new IllegalArgumentException("unknown operation " + operation);
        };
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(400, 403);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        return JSON.readTree(response.body()).get("message").asText();
    }

    private static HttpRequest.Builder post(String uri, String json) {
        boolean form = !json.startsWith("{");
        return HttpRequest.newBuilder(URI.create(uri))
                .header("Content-Type", form ? "application/x-www-form-urlencoded" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    /** Splits CLI arguments on spaces; single quotes group (e.g. a device cgroup rule). */
    private static String[] args(String line) {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                if (!current.isEmpty()) {
                    args.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (!current.isEmpty()) {
            args.add(current.toString());
        }
        return args.toArray(String[]::new);
    }
}
