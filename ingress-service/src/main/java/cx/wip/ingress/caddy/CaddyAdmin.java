package cx.wip.ingress.caddy;

import cx.wip.ingress.BackendException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A thin client for Caddy's admin API: JSON in, status and body out, errors as {@link BackendException}. */
final class CaddyAdmin implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final HttpClient client;

    CaddyAdmin(URI base) {
        this.base = base;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .build();
    }

    record Reply(int status, String body) {
    }

    Reply get(String path) {
        return call("GET", path, null);
    }

    /** Sends a change; anything but 2xx is a {@link BackendException} carrying Caddy's own error text. */
    void send(String method, String path, String json) {
        Reply reply = call(method, path, json);
        if (reply.status() / 100 != 2) {
            throw new BackendException("caddy: " + method + " " + path + " answered " + reply.status() + " "
                    + reply.body().strip());
        }
    }

    private Reply call(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.method(method, HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new BackendException("caddy admin " + base + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while calling caddy", e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
