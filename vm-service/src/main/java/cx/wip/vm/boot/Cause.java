package cx.wip.vm.boot;

/** Who needs a tenant's engine awake: a Docker API call (the gateway) or an HTTP hit on one of its routes (ingress). */
public enum Cause {
    API, HTTP;

    /** The metric label. */
    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
