package cx.wip.gateway.identity;

import java.util.concurrent.TimeUnit;

import cx.wip.gateway.GatewayException;
import cx.wip.gateway.PlatformFault;
import cx.wip.proto.auth.v1.AuthServiceGrpc;
import cx.wip.proto.auth.v1.IssueClientCertificateRequest;
import cx.wip.proto.auth.v1.IssueClientCertificateResponse;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;

/**
 * Relays the presented credential itself to auth-service ({@code IssueClientCertificate}), which issues to the tenant
 * that credential proves: the gateway names no tenant, so no tenant can get another's certificate.
 */
final class GrpcClientCertificates implements ClientCertificates {
    private final AuthSettings settings;
    private final AuthServiceGrpc.AuthServiceBlockingStub stub;

    GrpcClientCertificates(AuthSettings settings, ManagedChannel channel) {
        this.settings = settings;
        this.stub = AuthServiceGrpc.newBlockingStub(channel);
    }

    @Override
    public Issued issue(ClientIdentity identity, byte[] publicKeyDer) {
        PresentedCredential credential = PresentedCredential.of(identity, settings)
                .orElseThrow(() -> new MissingCredential(GrpcAuthenticator.NO_CREDENTIAL));
        IssueClientCertificateResponse response;
        try {
            response = stub.withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .issueClientCertificate(IssueClientCertificateRequest.newBuilder()
                            .setCredential(credential.request())
                            .setPublicKeyDer(ByteString.copyFrom(publicKeyDer))
                            .setLabel("self-service")
                            .build());
        } catch (StatusRuntimeException e) {
            throw new PlatformFault(503, GrpcAuthenticator.UNAVAILABLE, e);
        }
        if (response.hasDenial()) {
            // revoked or disabled between the gateway's check and this call
            throw new GatewayException(401, GrpcAuthenticator.UNKNOWN);
        }
        return new Issued(response.getIssued().getCaCertificatePem(), response.getIssued().getCertificatePem());
    }
}
