package cx.wip.gateway.identity;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import cx.wip.gateway.GatewayException;
import cx.wip.gateway.PlatformFault;
import cx.wip.proto.auth.v1.AuthServiceGrpc;
import cx.wip.proto.auth.v1.AuthenticateResponse;
import cx.wip.proto.auth.v1.DenialReason;
import cx.wip.telemetry.GrpcChannels;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.helidon.config.Config;

/**
 * Asks auth-service (gRPC {@code wip.auth.v1.AuthService/Authenticate}) who a request belongs to.
 * <ul>
 *   <li>Credential order: TLS client certificate, {@code Authorization: Bearer}, key in hostname (switchable).</li>
 *   <li>Proven credentials are cached for {@code cache-ttl}: a warm request makes no gRPC call.</li>
 *   <li>Failures are counted per source address; too many → 429 until the window ends.</li>
 *   <li>auth-service unreachable → 503; the channel reconnects at once on the next request, so it recovers by
 *       itself when auth-service returns.</li>
 * </ul>
 * Never logs or returns a credential.
 */
public final class GrpcAuthenticator implements Authenticator, AutoCloseable {
    static final String NO_CREDENTIAL = "authentication required: use the docker context your wip operator gave you "
            + "(client certificate), or add \"HttpHeaders\": {\"Authorization\": \"Bearer <token>\"} to ~/.docker/config.json";
    static final String UNKNOWN = "authentication failed: credential not recognised; use the client certificate or "
            + "token your wip operator issued (wipctl tenant create / wipctl credential issue)";
    static final String REVOKED = "authentication failed: this credential was revoked; ask your wip operator for a new one";
    static final String DISABLED = "authentication failed: this tenant is disabled; contact your wip operator";
    static final String UNAVAILABLE = "wip authentication service unavailable; retry in a few seconds";

    private static final Logger LOGGER = Logger.getLogger(GrpcAuthenticator.class.getName());
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AuthSettings settings;
    private final ManagedChannel channel;
    private final AuthServiceGrpc.AuthServiceBlockingStub stub;
    private final CredentialCache cache;
    private final FailureThrottle throttle;
    private final LongSupplier nanoTime;
    private final AtomicLong lastUnavailableWarning = new AtomicLong();

    GrpcAuthenticator(AuthSettings settings, ManagedChannel channel, LongSupplier nanoTime) {
        this.settings = settings;
        this.channel = channel;
        this.stub = AuthServiceGrpc.newBlockingStub(channel);
        this.nanoTime = nanoTime;
        this.cache = new CredentialCache(settings.cacheTtl().toNanos(), settings.cacheMaxEntries(), nanoTime);
        this.throttle = new FailureThrottle(settings.throttleFailures(), settings.throttleWindow().toNanos(),
                                            settings.throttleMaxAddresses(), nanoTime);
        this.lastUnavailableWarning.set(nanoTime.getAsLong() - WARN_EVERY_NANOS);
    }

    /** Reads {@code gateway.auth} (the root config or that node) and opens a channel to auth-service. */
    public static GrpcAuthenticator create(Config config) {
        final AuthSettings settings = AuthSettings.create(config);
        return new GrpcAuthenticator(settings, GrpcChannels.open("wip-gateway", settings.grpc()), System::nanoTime);
    }

    @Override
    public Tenant authenticate(ClientIdentity identity) {
        final PresentedCredential credential = PresentedCredential.of(identity, settings)
                .orElseThrow(() -> new MissingCredential(NO_CREDENTIAL));
        final String key = credential.cacheKey();
        final Optional<Tenant> cached = cache.get(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        final String address = FailureThrottle.addressOf(identity.remoteAddress());
        final long blockedFor = throttle.blockedForSeconds(address);
        if (blockedFor > 0) {
            // no address in the answer: behind a proxy it would be the proxy's, an internal one
            throw new GatewayException(429, "too many failed authentications from your address; retry in "
                    + blockedFor + " s");
        }
        final AuthenticateResponse response = ask(credential);
        if (response.hasTenant()) {
            final Tenant tenant = new Tenant(response.getTenant().getId(), response.getTenant().getSlug(),
                                             response.getTenant().getPlan());
            cache.put(key, tenant);
            return tenant;
        }
        throttle.recordFailure(address);
        final DenialReason reason = response.getDenial().getReason();
        LOGGER.fine(() -> "authentication denied: " + reason + " way=" + way(credential) + " from " + address);
        throw new GatewayException(401, switch (reason) {
            case REVOKED -> REVOKED;
            case TENANT_DISABLED -> DISABLED;
            default -> UNKNOWN;
        });
    }

    private AuthenticateResponse ask(PresentedCredential credential) {
        try {
            return stub.withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .authenticate(credential.request());
        } catch (StatusRuntimeException e) {
            // Reconnect at once on the next call instead of waiting out grpc's exponential backoff.
            channel.resetConnectBackoff();
            final long now = nanoTime.getAsLong();
            final long last = lastUnavailableWarning.get();
            if (now - last >= WARN_EVERY_NANOS && lastUnavailableWarning.compareAndSet(last, now)) {
                LOGGER.log(Level.WARNING, "auth-service at " + settings.address() + " failed: "
                        + e.getStatus().getCode() + "; answering 503 until it is back");
            }
            throw new PlatformFault(503, UNAVAILABLE, e);
        }
    }

    private static String way(PresentedCredential credential) {
        return switch (credential) {
            case PresentedCredential.Certificate c -> "certificate";
            case PresentedCredential.Bearer b -> "bearer";
            case PresentedCredential.HostKey h -> "host-key";
        };
    }

    /** Cached credentials right now (for tests and metrics). */
    int cachedCredentials() {
        return cache.size();
    }

    /** Self-service client certificates, over the same channel and settings. */
    public ClientCertificates clientCertificates() {
        return new GrpcClientCertificates(settings, channel);
    }

    /** The gRPC channel to the service (its state feeds the gateway's readiness). */
    public ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() {
        GrpcChannels.close(channel, Duration.ofSeconds(2));
    }
}
