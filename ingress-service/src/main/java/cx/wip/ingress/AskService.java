package cx.wip.ingress;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Caddy's on-demand TLS {@code ask} endpoint: {@code GET /ask?domain=NAME} answers 200 only for hosts that have a
 * route now (a tenant subdomain, or a custom domain that was verified before it got its route), so nobody can make
 * Caddy request certificates for arbitrary names.
 */
final class AskService implements HttpService {
    private final Ingress ingress;

    AskService(Ingress ingress) {
        this.ingress = ingress;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/ask", this::ask);
    }

    private void ask(ServerRequest request, ServerResponse response) {
        String domain = request.query().first("domain").orElse("");
        boolean allowed = !domain.isBlank() && ingress.routed(domain.toLowerCase(java.util.Locale.ROOT));
        response.status(allowed ? Status.OK_200 : Status.NOT_FOUND_404).send(allowed ? "ok" : "no route for " + domain);
    }
}
