package cx.wip.auth.grpc;

import java.util.logging.Logger;

import cx.wip.auth.domain.AuthException;
import cx.wip.auth.domain.Directory;
import cx.wip.auth.domain.TenantRecord;
import cx.wip.proto.auth.v1.AuthAdminServiceGrpc;
import cx.wip.proto.auth.v1.CreateTenantRequest;
import cx.wip.proto.auth.v1.CredentialInfo;
import cx.wip.proto.auth.v1.IssueCredentialRequest;
import cx.wip.proto.auth.v1.IssuedCredential;
import cx.wip.proto.auth.v1.ListCredentialsResponse;
import cx.wip.proto.auth.v1.ListTenantsRequest;
import cx.wip.proto.auth.v1.ListTenantsResponse;
import cx.wip.proto.auth.v1.RevokeCredentialRequest;
import cx.wip.proto.auth.v1.TenantInfo;
import cx.wip.proto.auth.v1.SetTenantPlanRequest;
import cx.wip.proto.auth.v1.TenantRef;

import io.grpc.stub.StreamObserver;

/** The operator surface (wipctl). Logs what changed by id, never a secret. */
public final class AdminGrpcService extends AuthAdminServiceGrpc.AuthAdminServiceImplBase {
    private static final Logger LOGGER = Logger.getLogger(AdminGrpcService.class.getName());

    private final Directory directory;

    public AdminGrpcService(Directory directory) {
        this.directory = directory;
    }

    @Override
    public void createTenant(CreateTenantRequest request, StreamObserver<TenantInfo> observer) {
        Errors.UNARY.answer(observer, () -> {
            final TenantRecord tenant = directory.createTenant(request.getSlug(), request.getPlan());
            LOGGER.info("tenant created: " + tenant.id() + " slug=" + tenant.slug() + " plan=" + tenant.plan());
            return Protos.tenantInfo(tenant);
        });
    }

    @Override
    public void getTenant(TenantRef request, StreamObserver<TenantInfo> observer) {
        Errors.UNARY.answer(observer, () -> Protos.tenantInfo(directory.tenant(request.getIdOrSlug())));
    }

    @Override
    public void listTenants(ListTenantsRequest request, StreamObserver<ListTenantsResponse> observer) {
        Errors.UNARY.answer(observer, () -> ListTenantsResponse.newBuilder()
                .addAllTenants(directory.tenants().stream().map(Protos::tenantInfo).toList())
                .build());
    }

    @Override
    public void disableTenant(TenantRef request, StreamObserver<TenantInfo> observer) {
        Errors.UNARY.answer(observer, () -> {
            final TenantRecord tenant = directory.disable(request.getIdOrSlug());
            LOGGER.info("tenant disabled: " + tenant.id());
            return Protos.tenantInfo(tenant);
        });
    }

    @Override
    public void setTenantPlan(SetTenantPlanRequest request, StreamObserver<TenantInfo> observer) {
        Errors.UNARY.answer(observer, () -> {
            final TenantRecord tenant = directory.setPlan(request.getIdOrSlug(), request.getPlan());
            LOGGER.info("tenant " + tenant.id() + " is on plan " + tenant.plan());
            return Protos.tenantInfo(tenant);
        });
    }

    @Override
    public void issueCredential(IssueCredentialRequest request, StreamObserver<IssuedCredential> observer) {
        Errors.UNARY.answer(observer, () -> {
            final String tenant = request.getTenant().getIdOrSlug();
            final IssuedCredential issued = switch (request.getKind()) {
                case TOKEN -> {
                    final Directory.IssuedToken token = directory.issueToken(tenant, request.getLabel());
                    yield IssuedCredential.newBuilder().setCredential(Protos.credential(token.credential()))
                            .setToken(token.token()).build();
                }
                case CERTIFICATE -> {
                    final Directory.IssuedCertificate cert = directory.issueCertificate(
                            tenant, request.getPublicKeyDer().toByteArray(), request.getLabel());
                    yield IssuedCredential.newBuilder().setCredential(Protos.credential(cert.credential()))
                            .setCertificatePem(cert.certificatePem()).setCaCertificatePem(cert.caCertificatePem())
                            .build();
                }
                case CREDENTIAL_KIND_UNSPECIFIED, UNRECOGNIZED ->
                        throw new AuthException.Invalid("credential kind must be TOKEN or CERTIFICATE");
            };
            LOGGER.info("credential issued: " + issued.getCredential().getId() + " kind=" + request.getKind()
                                + " tenant=" + issued.getCredential().getTenantId());
            return issued;
        });
    }

    @Override
    public void listCredentials(TenantRef request, StreamObserver<ListCredentialsResponse> observer) {
        Errors.UNARY.answer(observer, () -> ListCredentialsResponse.newBuilder()
                .addAllCredentials(directory.credentials(request.getIdOrSlug()).stream().map(Protos::credential).toList())
                .build());
    }

    @Override
    public void revokeCredential(RevokeCredentialRequest request, StreamObserver<CredentialInfo> observer) {
        Errors.UNARY.answer(observer, () -> {
            final CredentialInfo revoked = Protos.credential(directory.revoke(request.getCredentialId()));
            LOGGER.info("credential revoked: " + revoked.getId() + " tenant=" + revoked.getTenantId());
            return revoked;
        });
    }
}
