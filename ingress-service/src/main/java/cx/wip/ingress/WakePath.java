package cx.wip.ingress;

/**
 * Where a route backend sends what it cannot serve itself, when engines may sleep: the waker (second upstream of
 * every route, reached only when the container's upstream cannot be dialled) and the hit log (access log lines, so
 * that ingress-service knows which tenants' routes served requests).
 *
 * @param waker  {@code host:port} the route backend dials to reach ingress-service's waker; empty = no wake path
 * @param hitLog {@code host:port} where the route backend writes its access log (Caddy's {@code net} writer); empty =
 *               none
 */
public record WakePath(String waker, String hitLog) {
    /** Routes behave as without sleeping engines: the container's upstreams only, no access log. */
    public static final WakePath NONE = new WakePath("", "");

    public WakePath {
        for (String address : new String[] {waker, hitLog}) {
            if (!address.isEmpty() && !address.matches("[A-Za-z0-9.-]+:[0-9]{1,5}")) {
                throw new IllegalArgumentException("a wake path address must be host:port, got " + address);
            }
        }
    }

    public boolean enabled() {
        return !waker.isEmpty();
    }
}
