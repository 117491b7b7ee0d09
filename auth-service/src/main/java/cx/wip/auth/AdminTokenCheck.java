package cx.wip.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Lets an admin call through only with {@code authorization: Bearer <admin token>}: the admin listener's address
 * (loopback, or the wip network in compose) is not a credential, since anything on that host or network could call it.
 * Only the admin service carries this check; the gateway-facing service has its own callers.
 */
final class AdminTokenCheck implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final String MISSING = "admin token required: wipctl sends it from the file auth-service wrote "
            + "(--admin-token-file or WIP_ADMIN_TOKEN_FILE; auth.admin.token-file on the service)";
    static final String WRONG = "admin token not accepted: use the file named by auth-service's auth.admin.token-file "
            + "(--admin-token-file or WIP_ADMIN_TOKEN_FILE)";

    private final byte[] expected;

    AdminTokenCheck(String token) {
        this.expected = sha256(token);
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        final String authorization = headers.get(AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse(call, MISSING);
        }
        // digests first: equal lengths, so the comparison's time says nothing about the token, not even its length
        if (!MessageDigest.isEqual(expected, sha256(authorization.substring(7).strip()))) {
            return refuse(call, WRONG);
        }
        return next.startCall(call, headers);
    }

    /**
     * Answers UNAUTHENTICATED once the client has sent its whole (unary) request: closing the call while the request's
     * message is still arriving made Helidon's HTTP/2 server end the whole connection (GOAWAY, PROTOCOL_ERROR), so the
     * next call on the client's channel failed with INTERNAL.
     */
    private static <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, String message) {
        call.request(1);
        return new ServerCall.Listener<>() {
            private boolean closed;

            @Override
            public void onMessage(Q ignored) {
                call.request(1);
            }

            @Override
            public void onHalfClose() {
                close();
            }

            @Override
            public void onCancel() {
                closed = true;
            }

            private void close() {
                if (!closed) {
                    closed = true;
                    call.close(Status.UNAUTHENTICATED.withDescription(message), new Metadata());
                }
            }
        };
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
