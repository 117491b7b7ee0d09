package cx.wip.wipctl;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.KeyPair;

import cx.wip.proto.auth.v1.AuthAdminServiceGrpc.AuthAdminServiceBlockingStub;
import cx.wip.proto.auth.v1.CredentialKind;
import cx.wip.proto.auth.v1.IssueCredentialRequest;
import cx.wip.proto.auth.v1.IssuedCredential;
import cx.wip.proto.auth.v1.TenantRef;

import com.google.protobuf.ByteString;

/** Issues credentials and prints what the tenant must paste; shared by {@code tenant create} and {@code credential issue}. */
final class Issuing {
    private Issuing() {
    }

    /** Issues a token and prints it (once) with the HttpHeaders and host-key lines. */
    static void token(AuthAdminServiceBlockingStub admin, String tenant, String label, GatewayOptions gateway,
                      PrintWriter out) {
        final IssuedCredential issued = admin.issueCredential(IssueCredentialRequest.newBuilder()
                .setTenant(TenantRef.newBuilder().setIdOrSlug(tenant))
                .setKind(CredentialKind.TOKEN)
                .setLabel(label)
                .build());
        out.println("Token " + issued.getCredential().getId() + " (shown only now; store it safely):");
        out.println("  " + issued.getToken());
        out.println();
        out.println("Bearer token: add to ~/.docker/config.json (then DOCKER_HOST=tcp://" + gateway.plain + "):");
        out.println("  " + Snippets.httpHeaders(issued.getToken()));
        out.println();
        out.println("Key in hostname (compatibility, if the gateway enables it):");
        out.println("  " + Snippets.hostKey(issued.getToken(), gateway.domain, gateway.plain) + " docker ps");
        out.println();
    }

    /** Issues a client certificate over a key made here, writes the bundle and prints the docker context line. */
    static void certificate(AuthAdminServiceBlockingStub admin, String tenant, String slug, String label, Path dir,
                            GatewayOptions gateway, PrintWriter out) {
        final KeyPair keys = Bundle.newKeyPair();
        final IssuedCredential issued = admin.issueCredential(IssueCredentialRequest.newBuilder()
                .setTenant(TenantRef.newBuilder().setIdOrSlug(tenant))
                .setKind(CredentialKind.CERTIFICATE)
                .setPublicKeyDer(ByteString.copyFrom(keys.getPublic().getEncoded()))
                .setLabel(label)
                .build());
        final Path bundle = Bundle.write(dir, issued.getCaCertificatePem(), issued.getCertificatePem(), keys);
        out.println("Client certificate " + issued.getCredential().getId() + " written to " + bundle
                            + " (ca.pem, cert.pem, key.pem).");
        out.println("Recommended: mutual TLS with a docker context:");
        out.println("  " + Snippets.dockerContext(slug, gateway.tls, bundle));
        out.println("  docker --context wip-" + slug + " ps");
        out.println();
    }
}
