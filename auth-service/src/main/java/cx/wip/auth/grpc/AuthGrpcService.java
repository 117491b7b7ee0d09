package cx.wip.auth.grpc;

import cx.wip.auth.domain.Authentication;
import cx.wip.auth.domain.Directory;
import cx.wip.proto.auth.v1.AuthServiceGrpc;
import cx.wip.proto.auth.v1.AuthenticateRequest;
import cx.wip.proto.auth.v1.AuthenticateResponse;
import cx.wip.telemetry.RequestIds;

import io.grpc.stub.StreamObserver;

/** The gateway-facing service: one credential in, a tenant or a denial out. */
public final class AuthGrpcService extends AuthServiceGrpc.AuthServiceImplBase {
    private final Directory directory;
    private final AuthenticationMetrics metrics = new AuthenticationMetrics();

    public AuthGrpcService(Directory directory) {
        this.directory = directory;
    }

    @Override
    public void authenticate(AuthenticateRequest request, StreamObserver<AuthenticateResponse> observer) {
        Errors.respond(observer, () -> {
            Authentication result = switch (request.getCredentialCase()) {
                case CERTIFICATE -> directory.authenticateCertificate(request.getCertificate().getSha256(),
                                                                      request.getCertificate().getSerial());
                case BEARER_TOKEN -> directory.authenticateToken(request.getBearerToken());
                case HOST_KEY -> directory.authenticateToken(request.getHostKey());
                case CREDENTIAL_NOT_SET -> new Authentication.Denied(Authentication.Reason.UNKNOWN_CREDENTIAL);
            };
            metrics.record(request.getCredentialCase(), result);
            if (result instanceof Authentication.Proven proven) {
                RequestIds.tenant(proven.tenant().id()); // the call's log lines name the tenant it proved
            }
            return Protos.authentication(result);
        });
    }
}
