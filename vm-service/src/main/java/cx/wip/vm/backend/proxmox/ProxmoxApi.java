package cx.wip.vm.backend.proxmox;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cx.wip.vm.spi.BackendException;

/**
 * The Proxmox VE API as the backend uses it: token auth, {@code {"data": …}} answers, errors with the message from
 * the body ({@code {"data":null,"message":"…","errors":{…}}}), tasks (UPIDs) polled until they stop.
 */
final class ProxmoxApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProxmoxConfig config;
    private final HttpClient http;

    ProxmoxApi(ProxmoxConfig config, HttpClient http) {
        this.config = config;
        this.http = http;
    }

    /** An API error: HTTP status and Proxmox's own message (with per-parameter errors when given). */
    static final class ApiError extends BackendException {
        private final int status;

        ApiError(int status, String message) {
            super("proxmox: " + status + " " + message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    JsonNode post(String path, Map<String, String> form) {
        return send(HttpRequest.newBuilder(uri(path))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form(form))));
    }

    JsonNode put(String path, Map<String, String> form) {
        return send(HttpRequest.newBuilder(uri(path))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .PUT(HttpRequest.BodyPublishers.ofString(form(form))));
    }

    JsonNode delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** Waits for a task to stop; success is exitstatus {@code OK} or {@code WARNINGS: n}. */
    void awaitTask(String node, String upid, long deadlineNanos) {
        String path = "/nodes/" + node + "/tasks/" + URLEncoder.encode(upid, StandardCharsets.UTF_8) + "/status";
        while (true) {
            JsonNode status = get(path);
            if ("stopped".equals(status.path("status").asText())) {
                String exit = status.path("exitstatus").asText("");
                if (exit.equals("OK") || exit.startsWith("WARNINGS")) {
                    return;
                }
                throw new BackendException("proxmox task " + upid + " failed: " + exit);
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new BackendException("proxmox task " + upid + " still running at the deadline");
            }
            pause();
        }
    }

    void pause() {
        try {
            Thread.sleep(config.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted");
        }
    }

    private JsonNode send(HttpRequest.Builder request) {
        request.header("Authorization", "PVEAPIToken=" + config.tokenId() + "=" + config.tokenSecret())
                .timeout(Duration.ofSeconds(30));
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = response.body().length == 0 ? JSON.nullNode() : JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                String errors = body.path("errors").isObject() ? " " + body.path("errors") : "";
                throw new ApiError(response.statusCode(), body.path("message").asText("").strip() + errors);
            }
            return body.path("data");
        } catch (IOException e) {
            throw new BackendException("proxmox API " + config.api() + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted");
        }
    }

    private URI uri(String path) {
        return URI.create(config.api() + path);
    }

    private static String form(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                          + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
    }
}
