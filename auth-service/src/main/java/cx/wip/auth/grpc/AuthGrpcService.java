package cx.wip.auth.grpc;

import java.util.logging.Logger;

import cx.wip.auth.domain.Authentication;
import cx.wip.auth.domain.Directory;
import cx.wip.proto.auth.v1.AuthServiceGrpc;
import cx.wip.proto.auth.v1.AuthenticateRequest;
import cx.wip.proto.auth.v1.AuthenticateResponse;
import cx.wip.proto.auth.v1.IssueClientCertificateRequest;
import cx.wip.proto.auth.v1.IssueClientCertificateResponse;
import cx.wip.proto.auth.v1.IssuedCredential;
import cx.wip.telemetry.RequestIds;

import io.grpc.stub.StreamObserver;

/**
 * The gateway-facing service: one credential in, a tenant or a denial out; and a tenant's own client certificate,
 * issued to the tenant the presented credential proves (never to a tenant named by the caller).
 */
public final class AuthGrpcService extends AuthServiceGrpc.AuthServiceImplBase {
    private static final Logger LOGGER = Logger.getLogger(AuthGrpcService.class.getName());

    private final Directory directory;
    private final AuthenticationMetrics metrics = new AuthenticationMetrics();

    public AuthGrpcService(Directory directory) {
        this.directory = directory;
    }

    @Override
    public void authenticate(AuthenticateRequest request, StreamObserver<AuthenticateResponse> observer) {
        Errors.UNARY.answer(observer, () -> Protos.authentication(prove(request)));
    }

    @Override
    public void issueClientCertificate(IssueClientCertificateRequest request,
                                       StreamObserver<IssueClientCertificateResponse> observer) {
        Errors.UNARY.answer(observer, () -> {
            Authentication result = prove(request.getCredential());
            if (!(result instanceof Authentication.Proven proven)) {
                return IssueClientCertificateResponse.newBuilder()
                        .setDenial(Protos.authentication(result).getDenial()).build();
            }
            String label = request.getLabel().isBlank() ? "self-service" : request.getLabel();
            Directory.IssuedCertificate cert = directory.issueCertificate(
                    proven.tenant().id(), request.getPublicKeyDer().toByteArray(), label);
            LOGGER.info("credential issued: " + cert.credential().id() + " kind=CERTIFICATE tenant="
                                + proven.tenant().id() + " by=" + request.getCredential().getCredentialCase());
            return IssueClientCertificateResponse.newBuilder().setIssued(IssuedCredential.newBuilder()
                    .setCredential(Protos.credential(cert.credential()))
                    .setCertificatePem(cert.certificatePem())
                    .setCaCertificatePem(cert.caCertificatePem())).build();
        });
    }

    /** Which tenant the credential proves; counted, and the call's log lines name the tenant. */
    private Authentication prove(AuthenticateRequest request) {
        Authentication result = switch (request.getCredentialCase()) {
            case CERTIFICATE -> directory.authenticateCertificate(request.getCertificate().getSha256(),
                                                                  request.getCertificate().getSerial());
            case BEARER_TOKEN -> directory.authenticateToken(request.getBearerToken());
            case HOST_KEY -> directory.authenticateToken(request.getHostKey());
            case CREDENTIAL_NOT_SET -> new Authentication.Denied(Authentication.Reason.UNKNOWN_CREDENTIAL);
        };
        metrics.record(request.getCredentialCase(), result);
        if (result instanceof Authentication.Proven proven) {
            RequestIds.tenant(proven.tenant().id());
        }
        return result;
    }
}
