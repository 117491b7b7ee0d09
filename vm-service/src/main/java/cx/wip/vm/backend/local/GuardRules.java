package cx.wip.vm.backend.local;

import java.io.IOException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a tenant engine refuses by itself, whatever the gateway and policy let through: the few requests that would
 * undo its containment. Everything a remapped engine already refuses on its own (--privileged, --pid host,
 * --network host) is left to it; these are the ones it would run:
 * <ul>
 *     <li>a container with {@code UsernsMode} set: {@code --userns=host} makes container root real root</li>
 *     <li>plug-in installs and changes: managed plug-ins run outside the user namespace with the privileges
 *     their manifest asks for</li>
 *     <li>swarm init/join: tenants get an engine, not a cluster member</li>
 * </ul>
 * The container body is read as dockerd's Go decoder reads it: key names match in any case and under Go's case
 * folding ({@code ſ} is {@code s}, the Kelvin sign is {@code k}), at any depth and however often repeated; a body
 * the engine does not show us (not JSON, over 1 MiB) is refused rather than trusted.
 */
final class GuardRules {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern VERSION = Pattern.compile("^/v[0-9.]+(?=/)");
    private static final Pattern PLUGIN_CHANGE =
            Pattern.compile("^/plugins/(pull|create|[^/]+/(enable|upgrade|set|push))$");
    private static final Pattern SWARM_MEMBERSHIP = Pattern.compile("^/swarm/(init|join)$");

    private GuardRules() {
    }

    /** The refusal for one AuthZReq, empty when the request may pass. */
    static Optional<String> refusal(JsonNode authzRequest) {
        String method = authzRequest.path("RequestMethod").asText("");
        // moby's authorization.Request: RequestURI is tagged json:"RequestUri"
        String path = VERSION.matcher(authzRequest.path("RequestUri").asText("").replaceFirst("[?#].*", ""))
                .replaceFirst("");
        if (!method.equalsIgnoreCase("POST")) {
            return Optional.empty();
        }
        if (PLUGIN_CHANGE.matcher(path).matches()) {
            return Optional.of("plug-ins cannot be installed or changed on this engine: they would run outside "
                               + "its user namespace");
        }
        if (SWARM_MEMBERSHIP.matcher(path).matches()) {
            return Optional.of("this engine cannot join or start a swarm");
        }
        if (path.equals("/containers/create")) {
            JsonNode body = authzRequest.path("RequestBody");
            if (!body.isTextual() || body.asText().isEmpty()) {
                return Optional.of("a container body the engine cannot check (not JSON, or over 1 MiB) is refused");
            }
            return asksForHostUserNamespace(Base64.getDecoder().decode(body.asText()))
                    ? Optional.of("containers run in the engine's user namespace: UsernsMode (--userns) cannot be set")
                    : Optional.empty();
        }
        return Optional.empty();
    }

    /** Whether any key named UsernsMode (as Go matches names) holds a value other than "", anywhere in the body. */
    static boolean asksForHostUserNamespace(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME && folded(parser.currentName()).equals("usernsmode")) {
                    JsonToken value = parser.nextToken();
                    if (value != JsonToken.VALUE_NULL && !(value == JsonToken.VALUE_STRING
                                                           && parser.getText().isEmpty())) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            // what we cannot parse, dockerd might (or might fail on): not ours to guess
            return true;
        }
    }

    private static String folded(String name) {
        return name.replace('\u017f', 's').replace('\u212a', 'k').toLowerCase(Locale.ROOT);
    }
}
