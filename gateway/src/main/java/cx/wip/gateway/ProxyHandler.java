package cx.wip.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Optional;

import cx.wip.docker.DaemonAddress;
import cx.wip.gateway.endpoint.EndpointResolver;
import cx.wip.gateway.identity.Authenticator;
import cx.wip.gateway.identity.ClientIdentity;
import cx.wip.gateway.identity.HeaderlessClients;
import cx.wip.gateway.identity.MissingCredential;
import cx.wip.gateway.identity.Tenant;
import cx.wip.gateway.lifecycle.ContainerEvent;
import cx.wip.gateway.lifecycle.LifecycleListener;
import cx.wip.gateway.limits.BufferBudget;
import cx.wip.gateway.limits.TenantLimits;
import cx.wip.gateway.proxy.Carriage;
import cx.wip.gateway.proxy.Forwarder;
import cx.wip.gateway.review.ForwardedBodyCheck;
import cx.wip.gateway.quota.Quotas;
import cx.wip.gateway.quota.Usage;
import cx.wip.gateway.review.Operation;
import cx.wip.gateway.review.Redactor;
import cx.wip.gateway.review.Review;
import cx.wip.gateway.review.Reviewer;
import cx.wip.telemetry.RequestIds;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The request path, in one place: match the route, authenticate the tenant, read the body, take the tenant's quota
 * lock and usage (container create/update), review, forward (redacting host details from answers), report lifecycle,
 * log.
 */
final class ProxyHandler implements Handler {
    private static final int MAX_REVIEWED_BODY = 1024 * 1024;
    private static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    private static final HeaderName API_VERSION = HeaderNames.create("API-Version");

    private final Authenticator authenticator;
    private final EndpointResolver endpoints;
    private final Reviewer reviewer;
    private final LifecycleListener lifecycle;
    private final Forwarder forwarder;
    private final Redactor redactor;
    private final TenantLimits limits;
    private final BufferBudget buffers;
    private final Quotas quotas;
    private final AccessLog accessLog = new AccessLog();
    /**
     * The API version the platform's daemons answered {@code _ping} with last. A {@code _ping} that fails (a tenant's
     * first contact while its daemon boots past the deadline) still carries it: the CLI negotiates its API version
     * from that header even on an error, instead of falling back to its own newest version that the daemon refuses.
     */
    private volatile String daemonApiVersion;

    ProxyHandler(Authenticator authenticator, EndpointResolver endpoints, Reviewer reviewer,
                 LifecycleListener lifecycle, Forwarder forwarder, Redactor redactor, TenantLimits limits,
                 BufferBudget buffers, Quotas quotas) {
        this.authenticator = authenticator;
        this.endpoints = endpoints;
        this.reviewer = reviewer;
        this.lifecycle = lifecycle;
        this.forwarder = forwarder;
        this.redactor = redactor;
        this.limits = limits;
        this.buffers = buffers;
        this.quotas = quotas;
    }

    @Override
    public void handle(ServerRequest request, ServerResponse response) {
        // a sane X-Request-Id from the client is kept and echoed; the exchange and its gRPC calls run in its scope
        String requestId = RequestIds.sane(request.headers().first(REQUEST_ID).orElse(null))
                .orElseGet(RequestIds::newId);
        response.header(REQUEST_ID, requestId);
        ClientConnection.honourClose(request, response);
        try (RequestIds.Scope ignored = RequestIds.enter(requestId, null)) {
            exchange(request, response, requestId);
        }
        ClientConnection.closeIfMarked(response);
    }

    private void exchange(ServerRequest request, ServerResponse response, String requestId) {
        long start = System.nanoTime();
        String method = request.prologue().method().text();
        String routeName = "unknown";
        String tenantId = "-";
        Forwarder.Outcome outcome = null;
        try {
            DockerApi.Match match = DockerApi.match(method, target(request));
            Route route = match.route();
            routeName = route.name();
            if (route.refusal() != null) {
                throw route.refusal();
            }
            refuseForms(request);
            Tenant tenant = authenticate(request, route);
            tenantId = tenant.id();
            RequestIds.tenant(tenantId);
            CreatedContainer created = new CreatedContainer();
            // held until the exchange ends, however it ends (hijacks end by exception)
            try (TenantLimits.Permit held = limits.acquire(tenantId, kind(route.kind()));
                 BufferBudget.Reservation reserved = buffers.open(tenantId)) {
                byte[] body = reviewedBody(request, route, reserved);
                // held from reading the usage until the daemon answered: see Quotas (atomic per gateway replica)
                try (Quotas.Decision quota = quotas.begin(tenant, route.review(), match.params().get("id"))) {
                    outcome = forward(request, response, tenant,
                            plan(request, match, tenant, created, reserved, body, quota.usage()));
                }
            }
            if ("ping".equals(route.name()) && outcome.status() == 200) {
                response.headers().first(API_VERSION).ifPresent(version -> daemonApiVersion = version);
            }
            report(route, match.params().getOrDefault("id", created.id()), tenant, outcome);
        } catch (Forwarder.HijackEnded ended) {
            outcome = ended.outcome();
            throw ended;
        } catch (GatewayException e) {
            ClientConnection.afterRefusal(request, response, !"-".equals(tenantId), e.status());
            if ("ping".equals(routeName) && daemonApiVersion != null) {
                response.header(API_VERSION, daemonApiVersion);
            }
            DockerErrors.send(response, e, "HEAD".equals(method));
            outcome = new Forwarder.Outcome(e.status(), -1, 0, false);
        } finally {
            int status = outcome == null ? 0 : outcome.status();
            long in = outcome == null ? -1 : outcome.bytesIn();
            long out = outcome == null ? 0 : outcome.bytesOut();
            accessLog.record(requestId, tenantId, ClientAddress.of(request), method, routeName, status, in, out,
                    System.nanoTime() - start,
                    outcome != null && outcome.upgraded());
        }
    }

    /** The tenant; a build client that could not send its token is told why and what to use instead. */
    private Tenant authenticate(ServerRequest request, Route route) {
        try {
            return authenticator.authenticate(identity(request));
        } catch (MissingCredential missing) {
            throw HeaderlessClients.explain(missing, route.name(), request.headers().first(HeaderNames.USER_AGENT));
        }
    }

    /** The one canonical target: routed, reviewed and forwarded as this very string. */
    private static RequestTarget target(ServerRequest request) {
        var prologue = request.prologue();
        return RequestTarget.of(prologue.uriPath().rawPath(), prologue.hasQuery() ? prologue.query().rawValue() : null,
                prologue.fragment().hasValue());
    }

    private static TenantLimits.Kind kind(Carriage carriage) {
        return switch (carriage) {
            case FORWARD -> TenantLimits.Kind.REQUEST;
            case STREAM -> TenantLimits.Kind.STREAM;
            case HIJACK -> TenantLimits.Kind.HIJACKED;
        };
    }

    /** The body a review reads whole; null when the route is not reviewed by its body. */
    private static byte[] reviewedBody(ServerRequest request, Route route, BufferBudget.Reservation reserved) {
        if (route.review() == null) {
            return null;
        }
        // build and pull are reviewed by their query; their bodies (a tar context, nothing) stream through
        return queryOnly(route) ? new byte[0] : readBody(request, reserved);
    }

    private static boolean queryOnly(Route route) {
        return route.review() == Operation.BUILD || route.review() == Operation.IMAGE_PULL;
    }

    private Forwarder.Plan plan(ServerRequest request, DockerApi.Match match, Tenant tenant, CreatedContainer created,
                                BufferBudget.Reservation reserved, byte[] body, Optional<Usage> usage) {
        Route route = match.route();
        String target = match.target().forwarded();
        if (route.review() == null) {
            return new Forwarder.Plan(target, route.kind(), null, route.redact() == null || redactor == null ? null
                    : (status, json) -> redactor.redact(tenant, route.redact(), json), reserved);
        }
        boolean queryOnly = queryOnly(route);
        Review review = reviewer.review(tenant, route.review(), request.prologue().method().text(),
                match.target().path(), match.target().query(), body, usage);
        if (review instanceof Review.Deny deny) {
            // a 5xx denial is a platform service failing (policy, ingress), not the request: quote the request id
            throw deny.status() >= 500 ? new PlatformFault(deny.status(), deny.message(), null)
                    : new GatewayException(deny.status(), deny.message());
        }
        Review.Allow allow = (Review.Allow) review;
        if (!queryOnly) {
            lastCheck(route.review(), allow.body());
        }
        return new Forwarder.Plan(target, route.kind(), queryOnly ? null : allow.body(),
                route.review() == Operation.CONTAINER_CREATE || route.review() == Operation.CONTAINER_UPDATE
                        ? created.rewrite(allow.warnings()) : null, reserved);
    }

    /**
     * Defence in depth: the body about to be forwarded passes the gateway's own short list of host escapes, whatever
     * the policy answered. A refusal here means the policy let something through: logged as a platform fault.
     */
    private static void lastCheck(Operation operation, byte[] body) {
        ForwardedBodyCheck.unsafe(operation, body).ifPresent(field -> {
            throw new PlatformFault(403, "wip: " + field + " is not available here; the request was refused before "
                    + "your engine saw it", new IllegalStateException("policy allowed a body the last check refuses: "
                    + operation + " " + field));
        });
    }

    private Forwarder.Outcome forward(ServerRequest request, ServerResponse response, Tenant tenant,
                                      Forwarder.Plan plan) {
        DaemonAddress daemon = endpoints.endpoint(tenant);
        endpoints.activity(tenant);
        try {
            return forwarder.forward(request, response, daemon, plan);
        } catch (IOException unreachable) {
            endpoints.invalidate(tenant);
            DaemonAddress again = endpoints.endpoint(tenant);
            try {
                return forwarder.forward(request, response, again, plan);
            } catch (IOException stillUnreachable) {
                throw DockerErrors.daemonUnreachable(stillUnreachable);
            }
        }
    }

    private void report(Route route, String container, Tenant tenant, Forwarder.Outcome outcome) {
        if (route.lifecycle() != null && outcome.status() / 100 == 2) {
            lifecycle.containerChanged(new ContainerEvent(tenant, container == null ? "" : container, route.lifecycle()));
        }
    }

    /**
     * On POST the daemon reads form fields from the body over the query (Go's ParseForm): a form body could set
     * {@code networkmode} or {@code fromSrc} after the query was reviewed. No docker client sends one.
     */
    private static void refuseForms(ServerRequest request) {
        String type = request.headers().first(HeaderNames.CONTENT_TYPE).orElse("").toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
            throw new GatewayException(400, "wip: form-encoded bodies are refused; send JSON, or the query string as "
                    + "docker clients do");
        }
    }

    /** Reads a reviewed body whole, its memory reserved first; a larger one is refused (and the connection closed). */
    private static byte[] readBody(ServerRequest request, BufferBudget.Reservation reserved) {
        if (!request.content().hasEntity()) {
            return new byte[0];
        }
        GatewayException tooLarge = new GatewayException(413, "wip: request body larger than " + MAX_REVIEWED_BODY
                + " bytes");
        if (request.headers().contentLength().orElse(-1) > MAX_REVIEWED_BODY) {
            throw tooLarge;
        }
        // not closed when too large: closing would drain the rest, which is what the refusal must not do
        InputStream in = request.content().inputStream();
        try {
            byte[] body = reserved.readAtMost(in, MAX_REVIEWED_BODY);
            if (body == null) {
                throw tooLarge;
            }
            in.close();
            return body;
        } catch (IOException e) {
            throw new GatewayException(400, "wip: could not read the request body: " + e.getMessage());
        }
    }

    static ClientIdentity identity(ServerRequest request) {
        Optional<X509Certificate> cert = request.remotePeer().tlsCertificates()
                .filter(chain -> chain.length > 0 && chain[0] instanceof X509Certificate)
                .map(chain -> (X509Certificate) chain[0]);
        Optional<String> bearer = request.headers().first(HeaderNames.AUTHORIZATION)
                .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(v -> v.substring(7).trim());
        String host = request.headers().first(HeaderNames.HOST).orElse("");
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            host = host.substring(0, colon);
        }
        return new ClientIdentity(cert.map(ProxyHandler::sha256), cert.map(c -> c.getSerialNumber().toString(16)),
                bearer, host, ClientAddress.of(request));
    }

    private static String sha256(Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
