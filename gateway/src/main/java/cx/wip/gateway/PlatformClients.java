package cx.wip.gateway;

import java.util.ArrayList;
import java.util.List;

import cx.wip.gateway.endpoint.EndpointResolver;
import cx.wip.gateway.endpoint.StaticEndpointResolver;
import cx.wip.gateway.endpoint.VmEndpointResolver;
import cx.wip.gateway.identity.GrpcAuthenticator;
import cx.wip.gateway.lifecycle.IngressReporter;
import cx.wip.gateway.review.PolicyReviewer;
import cx.wip.gateway.review.Reviewer;
import cx.wip.gateway.review.Unreviewed;
import cx.wip.telemetry.ChannelReadiness;

import io.helidon.config.Config;

/**
 * Chooses the gateway's seams from config: each platform service whose {@code gateway.<service>.address} is set is
 * used over gRPC; a service left out keeps the single-daemon development default (one tenant, the configured
 * daemon, bodies unreviewed, no public routes). `bin/wip up` sets them all.
 */
final class PlatformClients {
    private PlatformClients() {
    }

    static GatewayServer.Builder configure(GatewayServer.Builder gateway, Config root, GatewayConfig config) {
        Config section = root.get("gateway");
        List<AutoCloseable> clients = new ArrayList<>();
        ChannelReadiness downstream = new ChannelReadiness();
        if (configured(section, "auth")) {
            GrpcAuthenticator auth = GrpcAuthenticator.create(root);
            clients.add(auth);
            downstream.add("auth", auth.channel());
            gateway.authenticator(auth);
            gateway.clientCertificates(auth.clientCertificates());
        }
        EndpointResolver endpoints = new StaticEndpointResolver(config.daemon());
        if (configured(section, "vm")) {
            VmEndpointResolver vm = VmEndpointResolver.create(root);
            clients.add(vm);
            downstream.add("vm", vm.channel());
            endpoints = vm;
        }
        gateway.endpoints(endpoints);
        Reviewer reviewer = null;
        if (configured(section, "policy")) {
            PolicyReviewer policy = PolicyReviewer.create(root);
            clients.add(policy);
            downstream.add("policy", policy.channel());
            reviewer = policy;
            gateway.redactor(policy.redactor(endpoints));
        }
        if (configured(section, "ingress")) {
            // reports name the tenant's own daemon (vm mode); labels are checked at create even without policy
            IngressReporter ingress = IngressReporter.create(root, endpoints);
            clients.add(ingress);
            downstream.add("ingress", ingress.channel());
            gateway.lifecycle(ingress);
            reviewer = ingress.labelReview(reviewer != null ? reviewer : new Unreviewed());
        }
        if (reviewer != null) {
            gateway.reviewer(reviewer);
        }
        clients.forEach(gateway::closeWith);
        if (!clients.isEmpty()) {
            gateway.healthCheck(downstream);
        }
        return gateway;
    }

    private static boolean configured(Config gateway, String service) {
        return gateway.get(service).get("address").asString().filter(a -> !a.isBlank()).isPresent();
    }
}
