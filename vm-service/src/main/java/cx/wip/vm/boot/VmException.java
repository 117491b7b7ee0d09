package cx.wip.vm.boot;

/** Everything vm-service refuses or fails with; mapped to a gRPC status once, in {@code VmErrors}. */
public sealed class VmException extends RuntimeException
        permits VmException.StillStarting, VmException.InvalidTenant, VmException.BootFailed,
                VmException.LeaseLost {
    VmException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The boot goes on, but past the caller's deadline. */
    public static final class StillStarting extends VmException {
        public static final String MESSAGE = "your environment is still starting — retry in a moment";

        public StillStarting() {
            super(MESSAGE, null);
        }
    }

    /** The tenant id cannot name a daemon. */
    public static final class InvalidTenant extends VmException {
        InvalidTenant(String message) {
            super(message, null);
        }
    }

    /** The backend could not boot (or stop, or delete) the tenant's daemon. */
    public static final class BootFailed extends VmException {
        /** @param message the full detail, for the log: {@code VmErrors} never shows it to the tenant */
        public BootFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** This replica lost the tenant's lease mid-operation (another one took over): its result is void. */
    public static final class LeaseLost extends VmException {
        public LeaseLost(String message) {
            super(message, null);
        }
    }
}
