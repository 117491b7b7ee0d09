package cx.wip.ingress;

import cx.wip.ingress.docker.ContainerState;
import cx.wip.ingress.docker.Containers;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Routes follow containers: every entry point (a gateway report, a complete container set, a daemon event, the
 * periodic reconcile) ends in one sync per tenant that computes the routes from the containers and makes the backend,
 * the host owners and the stored routes match. Syncs of one tenant never overlap (in this process).
 */
public final class Ingress {
    private static final Logger LOGGER = Logger.getLogger(Ingress.class.getName());

    private final IngressStore store;
    private final RouteBackend backend;
    private final Domains domains;
    private final RoutePlanner planner;
    private final Function<URI, Containers> docker;
    private final Consumer<URI> daemonSeen;
    private final String baseDomain;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    Ingress(IngressConfig config, IngressStore store, RouteBackend backend, Domains domains,
            Function<URI, Containers> docker, Consumer<URI> daemonSeen) {
        this.store = store;
        this.backend = backend;
        this.domains = domains;
        this.planner = new RoutePlanner(config.baseDomain(), config.directContainerNetwork());
        this.docker = docker;
        this.daemonSeen = daemonSeen;
        this.baseDomain = config.baseDomain();
    }

    /**
     * A container of the tenant changed: adopt it (unless another tenant owns it) and re-sync the tenant. An empty id
     * (e.g. after {@code container prune}) only re-syncs.
     */
    public Plan containerChanged(TenantRef tenant, String idOrName) {
        remember(tenant);
        Optional<ContainerState> container = idOrName.isBlank() ? Optional.empty()
                : docker.apply(tenant.daemon()).inspect(idOrName);
        container.ifPresent(c -> {
            if (!store.adopt(tenant.id(), c.id())) {
                LOGGER.warning(() -> "tenant " + tenant.id() + " reported container " + c.id()
                        + " that another tenant owns: ignored");
            }
        });
        return sync(tenant);
    }

    /**
     * Re-reads the tenant's containers from its daemon and makes its routes match them. A tenant removed meanwhile
     * (a queued sync that lost the race with {@link #remove}) is left removed: nothing is adopted or routed.
     */
    public Plan sync(TenantRef tenant) {
        return locked(tenant, () -> {
            if (store.tenant(tenant.id()).isEmpty()) {
                return new Plan(List.of(), List.of());
            }
            Containers daemon = docker.apply(tenant.daemon());
            if (tenant.dedicated()) {
                daemon.withLabel(HttpLabel.KEY).forEach(id -> store.adopt(tenant.id(), id));
            }
            List<ContainerState> containers = new ArrayList<>();
            for (String id : store.containers(tenant.id())) {
                daemon.inspect(id).ifPresentOrElse(containers::add, () -> store.forget(tenant.id(), id));
            }
            return apply(tenant, containers);
        });
    }

    /** Makes the tenant's routes exactly those of the given (complete) container set. */
    public Plan sync(TenantRef tenant, List<ContainerState> containers) {
        remember(tenant);
        return locked(tenant, () -> {
            List<ContainerState> owned = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (ContainerState container : containers) {
                if (store.adopt(tenant.id(), container.id())) {
                    owned.add(container);
                    ids.add(container.id());
                }
            }
            store.containers(tenant.id()).stream().filter(id -> !ids.contains(id))
                    .forEach(id -> store.forget(tenant.id(), id));
            return apply(tenant, owned);
        });
    }

    /**
     * Checks a label value before a container is created with it.
     *
     * @return the public URLs it will serve
     * @throws IngressException (one line) when the value is invalid, names another tenant's host or an unproven
     *                          custom domain
     */
    public List<String> check(TenantRef tenant, String value) {
        List<String> urls = new ArrayList<>();
        for (HttpTarget target : HttpLabel.parse(value)) {
            String host = target.host(tenant.slug(), baseDomain);
            if (target.customDomain() && planner.underBaseDomain(host)) {
                throw new InvalidLabelException("label " + HttpLabel.KEY + ": " + planner.underBaseMessage(host));
            }
            if (target.customDomain()) {
                domains.requireVerified(tenant, host);
            }
            if (!store.hostFree(host, tenant.id())) {
                throw new HostTakenException(host);
            }
            urls.add("https://" + host);
        }
        return urls;
    }

    /** Removes every route of the tenant and forgets it. */
    public int remove(TenantRef tenant) {
        return locked(tenant, () -> {
            List<Binding> old = store.routes(tenant.id());
            backend.apply(tenant.key(), List.of());
            old.forEach(b -> store.releaseHost(b.host(), tenant.id()));
            store.forgetTenant(tenant.id());
            return (int) old.stream().map(Binding::host).distinct().count();
        });
    }

    public List<Binding> routes(TenantRef tenant) {
        return store.routes(tenant.id());
    }

    public Domains.Claim claim(TenantRef tenant, String domain) {
        refuseUnderBase(domain);
        return domains.claim(tenant, domain);
    }

    public Domains.Claim verify(TenantRef tenant, String domain) {
        refuseUnderBase(domain);
        return domains.verify(tenant, domain);
    }

    /** @return true when the host has a route now (the on-demand TLS {@code ask} question) */
    public boolean routed(String host) {
        return store.hostOwner(host).isPresent();
    }

    private void refuseUnderBase(String domain) {
        String host = HttpLabel.domain(domain);
        if (planner.underBaseDomain(host)) {
            throw new InvalidLabelException(planner.underBaseMessage(host));
        }
    }

    private void remember(TenantRef tenant) {
        store.rememberTenant(tenant);
        daemonSeen.accept(tenant.daemon());
    }

    private Plan apply(TenantRef tenant, List<ContainerState> containers) {
        Plan plan = planner.plan(tenant, containers, host -> domains.verified(tenant, host),
                host -> store.hostFree(host, tenant.id()));
        List<Binding> bindings = new ArrayList<>();
        List<Plan.Skip> skipped = new ArrayList<>(plan.skipped());
        for (Binding binding : plan.bindings()) {
            if (store.claimHost(binding.host(), tenant.id())) {
                bindings.add(binding);
            } else {
                skipped.add(new Plan.Skip(binding.containerId(), "host " + binding.host() + " belongs to another tenant"));
            }
        }
        Plan claimed = new Plan(bindings, skipped);
        backend.apply(tenant.key(), claimed.routes());
        Set<String> hosts = new HashSet<>();
        bindings.forEach(b -> hosts.add(b.host()));
        store.routes(tenant.id()).stream().map(Binding::host).filter(h -> !hosts.contains(h))
                .forEach(h -> store.releaseHost(h, tenant.id()));
        store.saveRoutes(tenant.id(), claimed.bindings());
        claimed.skipped().forEach(s -> LOGGER.info(() -> "tenant " + tenant.id() + " container " + s.containerId()
                + ": " + s.reason()));
        return claimed;
    }

    private <T> T locked(TenantRef tenant, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(tenant.id(), id -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
