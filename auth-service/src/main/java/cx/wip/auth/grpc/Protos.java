package cx.wip.auth.grpc;

import cx.wip.auth.domain.Authentication;
import cx.wip.auth.domain.CredentialRecord;
import cx.wip.auth.domain.TenantRecord;
import cx.wip.proto.auth.v1.AuthenticateResponse;
import cx.wip.proto.auth.v1.CredentialInfo;
import cx.wip.proto.auth.v1.CredentialKind;
import cx.wip.proto.auth.v1.Denial;
import cx.wip.proto.auth.v1.DenialReason;
import cx.wip.proto.auth.v1.Tenant;
import cx.wip.proto.auth.v1.TenantInfo;

/** Domain records to proto messages. */
final class Protos {
    private Protos() {
    }

    static Tenant tenant(TenantRecord t) {
        return Tenant.newBuilder().setId(t.id()).setSlug(t.slug()).setPlan(t.plan()).build();
    }

    static TenantInfo tenantInfo(TenantRecord t) {
        return TenantInfo.newBuilder()
                .setTenant(tenant(t))
                .setCreatedEpochMillis(t.createdMillis())
                .setDisabled(t.disabled())
                .setDisabledEpochMillis(t.disabledMillis())
                .build();
    }

    static CredentialInfo credential(CredentialRecord c) {
        return CredentialInfo.newBuilder()
                .setId(c.id())
                .setTenantId(c.tenantId())
                .setKind(switch (c.kind()) {
                    case TOKEN -> CredentialKind.TOKEN;
                    case CERTIFICATE -> CredentialKind.CERTIFICATE;
                })
                .setLabel(c.label())
                .setCreatedEpochMillis(c.createdMillis())
                .setRevoked(c.revoked())
                .setCertificateSha256(c.certificateSha256())
                .setCertificateSerial(c.certificateSerial())
                .setNotAfterEpochMillis(c.notAfterMillis())
                .build();
    }

    static AuthenticateResponse authentication(Authentication result) {
        return switch (result) {
            case Authentication.Proven p -> AuthenticateResponse.newBuilder().setTenant(tenant(p.tenant())).build();
            case Authentication.Denied d -> AuthenticateResponse.newBuilder()
                    .setDenial(Denial.newBuilder().setReason(switch (d.reason()) {
                        case UNKNOWN_CREDENTIAL -> DenialReason.UNKNOWN_CREDENTIAL;
                        case REVOKED -> DenialReason.REVOKED;
                        case TENANT_DISABLED -> DenialReason.TENANT_DISABLED;
                    }))
                    .build();
        };
    }
}
