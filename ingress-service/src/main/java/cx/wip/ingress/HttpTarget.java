package cx.wip.ingress;

/**
 * One route a {@code com.wip.http} label asks for.
 *
 * @param name a single DNS label ({@code web}: becomes {@code web.<slug>.<base-domain>}) or a custom domain
 *             ({@code www.example.com}), lower case
 * @param port the container port the route leads to
 */
public record HttpTarget(String name, int port) {
    /** @return true for a custom domain, which needs proof of ownership */
    public boolean customDomain() {
        return name.contains(".");
    }

    /** @return the public host for a tenant with this slug */
    public String host(String slug, String baseDomain) {
        return customDomain() ? name : name + "." + slug + "." + baseDomain;
    }
}
