package cx.wip.gateway;

import java.security.KeyPair;

import cx.wip.gateway.identity.Authenticator;
import cx.wip.gateway.identity.ClientCertificates;
import cx.wip.gateway.identity.HeaderlessClients;
import cx.wip.gateway.identity.Tenant;
import cx.wip.telemetry.RequestIds;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /wip/v1/credentials/client-certificate}: a tenant turns the credential it holds (usually a bearer token)
 * into a client certificate bundle for a docker context, without an operator — the context works for every client,
 * builds included, where a token does not (see {@link HeaderlessClients}). Not a Docker API path: the Docker API
 * has no {@code /wip} prefix, so this can never shadow a daemon route. The key pair is made here and not kept; the
 * certificate is issued by auth-service to the tenant the credential proves.
 */
final class ClientCertificateHandler implements Handler {
    static final String PATH = HeaderlessClients.CERTIFICATE_PATH;
    private static final String TAR = "application/x-tar";

    private final Authenticator authenticator;
    private final ClientCertificates certificates;
    private final AccessLog accessLog = new AccessLog();

    ClientCertificateHandler(Authenticator authenticator, ClientCertificates certificates) {
        this.authenticator = authenticator;
        this.certificates = certificates;
    }

    @Override
    public void handle(ServerRequest request, ServerResponse response) {
        long start = System.nanoTime();
        String requestId = RequestIds.newId();
        response.header(HeaderNames.create("X-Request-Id"), requestId);
        String tenantId = "-";
        int status = 200;
        try (RequestIds.Scope ignored = RequestIds.enter(requestId, null)) {
            if (certificates == null) {
                throw new GatewayException(404, "wip: this gateway issues no client certificates (it runs without "
                        + "auth-service)");
            }
            // the authenticator first: failures are throttled per address and answered like every other request
            Tenant tenant = authenticator.authenticate(ProxyHandler.identity(request));
            tenantId = tenant.id();
            RequestIds.tenant(tenantId);
            KeyPair keys = CertificateBundle.newKeyPair();
            ClientCertificates.Issued issued = certificates.issue(ProxyHandler.identity(request),
                                                                  keys.getPublic().getEncoded());
            CertificateBundle bundle = new CertificateBundle(issued.caPem(), issued.certificatePem(),
                                                             CertificateBundle.privateKeyPem(keys));
            response.headers().set(HeaderValues.CACHE_NO_CACHE);
            if (wantsTar(request)) {
                response.headers().contentType(io.helidon.common.media.type.MediaTypes.create(TAR));
                response.send(bundle.tar());
            } else {
                response.headers().set(HeaderValues.CONTENT_TYPE_JSON);
                response.send(bundle.json());
            }
        } catch (GatewayException e) {
            status = e.status();
            DockerErrors.send(response, e, false);
        } finally {
            accessLog.record(requestId, tenantId, ClientAddress.of(request), "POST", "client-certificate", status, -1,
                             0, System.nanoTime() - start, false);
        }
    }

    private static boolean wantsTar(ServerRequest request) {
        return request.headers().first(HeaderNames.ACCEPT).filter(accept -> accept.contains(TAR)).isPresent();
    }
}
