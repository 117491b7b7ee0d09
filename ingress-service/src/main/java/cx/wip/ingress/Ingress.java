package cx.wip.ingress;

import cx.wip.ingress.docker.ContainerState;
import cx.wip.ingress.docker.Containers;
import cx.wip.ingress.wake.HostRoute;
import cx.wip.ingress.wake.RouteDirectory;
import cx.wip.proto.vm.v1.Endpoint;

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
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Routes follow containers: every entry point (a gateway report, a complete container set, a daemon event, the
 * periodic reconcile) ends in one sync per tenant that computes the routes from the containers and makes the backend,
 * the host owners and the stored routes match. Syncs of one tenant never overlap (in this process).
 * <p>
 * An engine put to sleep with running apps (vm-service says ASLEEP) keeps its routes while its containers are down and
 * its daemon is gone: they lead to the waker instead of the containers until the engine wakes and a sync reads its
 * containers again. Whether it sleeps is asked only when a sync would drop routes or cannot reach the daemon; when
 * vm-service cannot say, routes follow the containers as without sleep.
 */
public final class Ingress implements RouteDirectory {
    private static final Logger LOGGER = Logger.getLogger(Ingress.class.getName());

    private final IngressStore store;
    private final RouteBackend backend;
    private final Domains domains;
    private final RoutePlanner planner;
    private final Function<URI, Containers> docker;
    private final Consumer<URI> daemonSeen;
    private final String baseDomain;
    private final WakePath wake;
    private final Predicate<String> asleep;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Set<String> onWaker = ConcurrentHashMap.newKeySet();

    /**
     * @param wake   the route backend's wake path ({@link WakePath#NONE}: engines never sleep with routes)
     * @param asleep whether vm-service says the tenant's engine sleeps
     */
    Ingress(IngressConfig config, IngressStore store, RouteBackend backend, Domains domains,
            Function<URI, Containers> docker, Consumer<URI> daemonSeen, WakePath wake, Predicate<String> asleep) {
        this.store = store;
        this.backend = backend;
        this.domains = domains;
        this.planner = new RoutePlanner(config.baseDomain(), config.directContainerNetwork());
        this.docker = docker;
        this.daemonSeen = daemonSeen;
        this.baseDomain = config.baseDomain();
        this.wake = wake;
        this.asleep = wake.enabled() ? asleep : id -> false;
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
            if (store.sleeping(tenant.id())) {
                // its containers look running to their daemon, but they are frozen: keep the waker in front
                if (asleep.test(tenant.id())) {
                    return sleep(tenant);
                }
                store.sleeping(tenant.id(), false);
            }
            List<ContainerState> containers;
            try {
                containers = containers(tenant);
            } catch (BackendException e) {
                if (asleep.test(tenant.id())) {
                    return sleep(tenant);
                }
                throw e;
            }
            if (dropsRoutes(tenant, containers) && asleep.test(tenant.id())) {
                return sleep(tenant);
            }
            return apply(tenant, containers);
        });
    }

    private List<ContainerState> containers(TenantRef tenant) {
        Containers daemon = docker.apply(tenant.daemon());
        if (tenant.dedicated()) {
            daemon.withLabel(HttpLabel.KEY).forEach(id -> store.adopt(tenant.id(), id));
        }
        List<ContainerState> containers = new ArrayList<>();
        for (String id : store.containers(tenant.id())) {
            daemon.inspect(id).ifPresentOrElse(containers::add, () -> store.forget(tenant.id(), id));
        }
        return containers;
    }

    /** @return true when a container behind one of the tenant's routes is no longer running */
    private boolean dropsRoutes(TenantRef tenant, List<ContainerState> containers) {
        Set<String> running = new HashSet<>();
        containers.stream().filter(ContainerState::running).forEach(c -> running.add(c.id()));
        return store.routes(tenant.id()).stream().anyMatch(b -> !running.contains(b.containerId()));
    }

    /**
     * vm-service is about to freeze the tenant's apps: from now on their routes lead to the waker (until the engine is
     * awake again).
     *
     * @return how many routes lead to the waker
     * @throws NoWakerException when this ingress has no waker
     */
    public int engineSleeps(String tenantId) {
        if (wake == WakePath.NONE) {
            throw new NoWakerException("this ingress-service has no waker (ingress.vm.address is not set)");
        }
        Optional<TenantRef> known = store.tenant(tenantId);
        if (known.isEmpty()) {
            return 0;
        }
        return locked(known.get(), () -> {
            store.sleeping(tenantId, true);
            onWaker.remove(tenantId);
            return sleep(known.get());
        }).bindings().size();
    }

    /** The engine sleeps: its routes stay (stored as they were) and lead to the waker until it wakes. */
    private Plan sleep(TenantRef tenant) {
        List<Binding> kept = store.routes(tenant.id());
        backend.apply(tenant.key(), onWaker(new Plan(kept, List.of()).routes()));
        LOGGER.fine(() -> "tenant " + tenant.id() + " sleeps: " + kept.size() + " routes lead to the waker");
        return new Plan(kept, List.of());
    }

    private List<Route> onWaker(List<Route> routes) {
        return routes.stream().map(route -> new Route(route.host(), List.of(wake.waker()))).toList();
    }

    @Override
    public Optional<HostRoute> route(String host) {
        return store.hostOwner(host).flatMap(owner -> {
            List<String> upstreams = store.routes(owner).stream().filter(b -> b.host().equals(host))
                    .map(Binding::upstream).toList();
            return upstreams.isEmpty() ? Optional.empty() : Optional.of(new HostRoute(owner, upstreams));
        });
    }

    @Override
    public boolean frozen(String tenantId) {
        return store.sleeping(tenantId);
    }

    /** After a wake: the engine's address as vm-service answers it now, then its containers read again. */
    @Override
    public List<String> resync(String tenantId, Endpoint endpoint, boolean onWakerOnly) {
        store.sleeping(tenantId, false); // it is awake: its containers run (or are being started) again
        if (onWakerOnly) {
            onWaker.add(tenantId);
        } else {
            onWaker.remove(tenantId);
        }
        store.tenant(tenantId).ifPresent(known -> {
            TenantRef tenant = known;
            if (!endpoint.getDockerAddress().isBlank() && !endpoint.getPublicAddress().isBlank()) {
                tenant = new TenantRef(known.id(), known.slug(), URI.create(endpoint.getDockerAddress()),
                        endpoint.getPublicAddress(), known.dedicated());
                if (!tenant.equals(known)) {
                    remember(tenant);
                }
            }
            sync(tenant);
        });
        return store.routes(tenantId).stream().map(Binding::upstream).distinct().toList();
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
        backend.apply(tenant.key(), onWaker.contains(tenant.id()) ? onWaker(claimed.routes()) : claimed.routes());
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
