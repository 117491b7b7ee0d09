package cx.wip.auth.grpc;

import java.util.Locale;

import cx.wip.auth.domain.Authentication;
import cx.wip.proto.auth.v1.AuthenticateRequest;
import cx.wip.telemetry.LabelledCounter;

/**
 * {@code wip_auth_authentications_total{method,result}}: method is cert, bearer or hostname (how the client
 * identified itself), result is ok or the denial reason in lower case. Never a credential or a tenant id.
 */
final class AuthenticationMetrics {
    private final LabelledCounter authentications = LabelledCounter.create("wip_auth_authentications",
            "Authenticate calls by credential kind and result", "method", "result");

    void record(AuthenticateRequest.CredentialCase credential, Authentication result) {
        authentications.increment(method(credential), switch (result) {
            case Authentication.Proven ignored -> "ok";
            case Authentication.Denied denied -> denied.reason().name().toLowerCase(Locale.ROOT);
        });
    }

    static String method(AuthenticateRequest.CredentialCase credential) {
        return switch (credential) {
            case CERTIFICATE -> "cert";
            case BEARER_TOKEN -> "bearer";
            case HOST_KEY -> "hostname";
            case CREDENTIAL_NOT_SET -> "none";
        };
    }
}
