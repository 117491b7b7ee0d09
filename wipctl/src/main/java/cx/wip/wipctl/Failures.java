package cx.wip.wipctl;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine;

/** The one place where failures become a message on stderr and an exit code. */
final class Failures implements CommandLine.IExecutionExceptionHandler {
    static final int FAILED = 1;
    static final int INVALID = 2;
    static final int NOT_FOUND = 3;
    static final int CONFLICT = 4;
    static final int UNAVAILABLE = 69;
    static final int NOT_ALLOWED = 77;

    @Override
    public int handleExecutionException(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        final WipCtl root = (WipCtl) command.getCommandSpec().root().userObject();
        final Outcome outcome = outcome(e, root.admin, root.timeoutMillis);
        command.getErr().println("wipctl: " + outcome.message());
        command.getErr().flush();
        return outcome.exitCode();
    }

    /** An exit code and the line that explains it. */
    record Outcome(int exitCode, String message) {
    }

    static Outcome outcome(Exception e, String adminAddress, long timeoutMillis) {
        if (e instanceof StatusRuntimeException sre) {
            final Status status = sre.getStatus();
            final String description = status.getDescription() == null ? status.getCode().name() : status.getDescription();
            return switch (status.getCode()) {
                case NOT_FOUND -> new Outcome(NOT_FOUND, description);
                case ALREADY_EXISTS -> new Outcome(CONFLICT, description);
                case INVALID_ARGUMENT -> new Outcome(INVALID, description);
                case UNAUTHENTICATED -> new Outcome(NOT_ALLOWED, "auth-service at " + adminAddress + " refused the call: "
                        + description);
                case DEADLINE_EXCEEDED -> new Outcome(UNAVAILABLE, "auth-service admin API at " + adminAddress
                        + " did not answer within " + timeoutMillis + " ms (raise --timeout-ms, or check auth-service)");
                case UNAVAILABLE -> sre.getCause() == null && status.getDescription() != null
                        // auth-service itself answered: it is up but cannot serve (e.g. its Redis is away)
                        ? new Outcome(UNAVAILABLE, "auth-service at " + adminAddress + " is unavailable: " + description)
                        : new Outcome(UNAVAILABLE,
                        "auth-service admin API unreachable at " + adminAddress
                                + " (is auth-service running? use --admin HOST:PORT or WIP_AUTH_ADMIN)");
                default -> new Outcome(FAILED, "auth-service answered " + status.getCode() + ": " + description);
            };
        }
        if (e instanceof AdminToken.Missing missing) {
            return new Outcome(NOT_ALLOWED, missing.getMessage());
        }
        return new Outcome(FAILED, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
