package cx.wip.ingress;

import cx.wip.ingress.docker.ContainerState;
import cx.wip.proto.ingress.v1.Backend;
import cx.wip.proto.ingress.v1.CheckLabelRequest;
import cx.wip.proto.ingress.v1.CheckLabelResponse;
import cx.wip.proto.ingress.v1.ClaimDomainRequest;
import cx.wip.proto.ingress.v1.ClaimDomainResponse;
import cx.wip.proto.ingress.v1.Container;
import cx.wip.proto.ingress.v1.ContainerChangedRequest;
import cx.wip.proto.ingress.v1.ContainerChangedResponse;
import cx.wip.proto.ingress.v1.EngineSleepsRequest;
import cx.wip.proto.ingress.v1.EngineSleepsResponse;
import cx.wip.proto.ingress.v1.IngressGrpc;
import cx.wip.proto.ingress.v1.ListRoutesRequest;
import cx.wip.proto.ingress.v1.ListRoutesResponse;
import cx.wip.proto.ingress.v1.RemoveRoutesRequest;
import cx.wip.proto.ingress.v1.RemoveRoutesResponse;
import cx.wip.proto.ingress.v1.Skipped;
import cx.wip.proto.ingress.v1.SyncRoutesRequest;
import cx.wip.proto.ingress.v1.SyncRoutesResponse;
import cx.wip.proto.ingress.v1.Tenant;
import cx.wip.proto.ingress.v1.VerifyDomainRequest;
import cx.wip.proto.ingress.v1.VerifyDomainResponse;
import cx.wip.telemetry.GrpcUnary;

import io.grpc.stub.StreamObserver;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Translates {@code wip.ingress.v1} to {@link Ingress} and back; errors through {@link Statuses}. */
final class IngressGrpcService extends IngressGrpc.IngressImplBase {
    private static final GrpcUnary UNARY = GrpcUnary.of("ingress-service", Statuses::of);

    private final Ingress ingress;
    private final IngressConfig config;

    IngressGrpcService(Ingress ingress, IngressConfig config) {
        this.ingress = ingress;
        this.config = config;
    }

    @Override
    public void syncRoutes(SyncRoutesRequest request, StreamObserver<SyncRoutesResponse> response) {
        UNARY.answer(response, () -> {
            List<ContainerState> containers = request.getContainersList().stream().map(IngressGrpcService::state).toList();
            Plan plan = ingress.sync(tenant(request.getTenant()), containers);
            return SyncRoutesResponse.newBuilder().addAllRoutes(routes(plan.bindings()))
                    .addAllSkipped(plan.skipped().stream().map(s -> Skipped.newBuilder()
                            .setContainerId(s.containerId()).setReason(s.reason()).build()).toList()).build();
        });
    }

    @Override
    public void containerChanged(ContainerChangedRequest request, StreamObserver<ContainerChangedResponse> response) {
        UNARY.answer(response, () -> ContainerChangedResponse.newBuilder().addAllRoutes(routes(
                ingress.containerChanged(tenant(request.getTenant()), request.getContainerId()).bindings())).build());
    }

    @Override
    public void checkLabel(CheckLabelRequest request, StreamObserver<CheckLabelResponse> response) {
        UNARY.answer(response, () -> {
            try {
                return CheckLabelResponse.newBuilder().setAllowed(true)
                        .addAllUrls(ingress.check(tenant(request.getTenant()), request.getValue())).build();
            } catch (InvalidLabelException | HostTakenException | DomainUnverifiedException e) {
                return CheckLabelResponse.newBuilder().setAllowed(false).setMessage(e.getMessage()).build();
            }
        });
    }

    @Override
    public void removeRoutes(RemoveRoutesRequest request, StreamObserver<RemoveRoutesResponse> response) {
        UNARY.answer(response, () -> RemoveRoutesResponse.newBuilder()
                .setRemoved(ingress.remove(tenant(request.getTenant()))).build());
    }

    @Override
    public void engineSleeps(EngineSleepsRequest request, StreamObserver<EngineSleepsResponse> response) {
        UNARY.answer(response, () -> EngineSleepsResponse.newBuilder()
                .setRoutes(ingress.engineSleeps(request.getTenantId())).build());
    }

    @Override
    public void listRoutes(ListRoutesRequest request, StreamObserver<ListRoutesResponse> response) {
        UNARY.answer(response, () -> ListRoutesResponse.newBuilder()
                .addAllRoutes(routes(ingress.routes(tenant(request.getTenant())))).build());
    }

    @Override
    public void claimDomain(ClaimDomainRequest request, StreamObserver<ClaimDomainResponse> response) {
        UNARY.answer(response, () -> {
            Domains.Claim claim = ingress.claim(tenant(request.getTenant()), request.getDomain());
            return ClaimDomainResponse.newBuilder().setDomain(claim.domain()).setTxtName(claim.txtName())
                    .setTxtValue(claim.txtValue()).setCnameTarget(claim.cname()).setVerified(claim.verified()).build();
        });
    }

    @Override
    public void verifyDomain(VerifyDomainRequest request, StreamObserver<VerifyDomainResponse> response) {
        UNARY.answer(response, () -> {
            Domains.Claim claim = ingress.verify(tenant(request.getTenant()), request.getDomain());
            return VerifyDomainResponse.newBuilder().setVerified(claim.verified()).setMessage(claim.verified()
                    ? claim.domain() + " is verified" : claim.domain() + " is not verified yet: " + claim.instructions())
                    .build();
        });
    }

    /**
     * Fills what the caller left out: the configured daemon, and as public address the daemon's own host when it is
     * reached over TCP (a tenant VM publishes its ports on the address its daemon listens on), else the default.
     */
    private TenantRef tenant(Tenant tenant) {
        URI daemon = tenant.getDaemonAddress().isBlank() ? config.defaultDaemon()
                : URI.create(tenant.getDaemonAddress());
        String publicAddress = !tenant.getPublicAddress().isBlank() ? tenant.getPublicAddress()
                : !tenant.getDaemonAddress().isBlank() && !"unix".equals(daemon.getScheme()) ? daemon.getHost()
                : config.defaultPublicAddress();
        return new TenantRef(tenant.getId(), tenant.getSlug(), daemon, publicAddress, tenant.getDedicatedDaemon());
    }

    private static ContainerState state(Container container) {
        return new ContainerState(container.getId(), container.getName(), container.getLabelsMap(),
                container.getRunning(), container.getPublishedPortsMap(), container.getContainerIp());
    }

    private static List<cx.wip.proto.ingress.v1.Route> routes(List<Binding> bindings) {
        Map<String, cx.wip.proto.ingress.v1.Route.Builder> routes = new LinkedHashMap<>();
        for (Binding binding : bindings) {
            routes.computeIfAbsent(binding.host(), host -> cx.wip.proto.ingress.v1.Route.newBuilder().setHost(host)
                    .setUrl("https://" + host)).addBackends(Backend.newBuilder().setContainerId(binding.containerId())
                    .setContainerPort(binding.containerPort()).setUpstream(binding.upstream()));
        }
        List<cx.wip.proto.ingress.v1.Route> built = new ArrayList<>();
        routes.values().forEach(route -> built.add(route.build()));
        return built;
    }
}
