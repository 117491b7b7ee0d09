package cx.wip.policy.review;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import cx.wip.policy.plan.Plan;
import cx.wip.policy.plan.Plans;

/** Reviews requests against the tenant's plan. The one place where a {@link PolicyException} becomes a denial. */
public final class Reviews {
    private final Plans plans;

    public Reviews(Plans plans) {
        this.plans = plans;
    }

    public Verdict review(Request request) {
        Plan plan = plans.plan(request.plan()).orElse(null);
        if (plan == null) {
            return new Verdict.Deny(403, "wip: plan \"" + request.plan() + "\" is unknown to the policy service — "
                    + "ask the operator to configure it", "unknown_plan");
        }
        try {
            return allow(request, new Context(plan, request.usage()));
        } catch (PolicyException e) {
            return new Verdict.Deny(e.status(), e.getMessage(), e.rule());
        }
    }

    private static Verdict allow(Request request, Context context) {
        byte[] body = request.body();
        return switch (request.operation()) {
            case BUILD -> {
                QueryRules.build(request.rawQuery());
                yield new Verdict.Allow(new byte[0], List.of());
            }
            case IMAGE_PULL -> {
                QueryRules.imagePull(request.rawQuery(), context.plan());
                yield new Verdict.Allow(new byte[0], List.of());
            }
            case CONTAINER_CREATE -> {
                ObjectNode document = DockerBody.read(body, ApiShapes.CONTAINER_CREATE, "container create",
                        ApiShapes.HOST_CONFIG);
                ContainerRules.create(document, context);
                yield allowed(document, context);
            }
            case CONTAINER_UPDATE -> {
                ObjectNode document = DockerBody.read(body, ApiShapes.CONTAINER_UPDATE, "container update");
                ContainerRules.update(document, context);
                yield allowed(document, context);
            }
            case EXEC_CREATE -> {
                ObjectNode document = DockerBody.read(body, ApiShapes.EXEC_CREATE, "exec create");
                ContainerRules.exec(document);
                yield allowed(document, context);
            }
            case NETWORK_CREATE -> {
                ObjectNode document = DockerBody.read(body, ApiShapes.NETWORK_CREATE, "network create");
                NetworkRules.create(document, context);
                yield allowed(document, context);
            }
            case NETWORK_CONNECT -> {
                ObjectNode document = DockerBody.read(body, ApiShapes.NETWORK_CONNECT, "network connect");
                ObjectNode endpoint = Fields.object(document, "EndpointConfig");
                if (endpoint != null) {
                    NetworkRules.endpoint(endpoint);
                }
                yield allowed(document, context);
            }
            case VOLUME_CREATE -> {
                ObjectNode document = DockerBody.read(body, ApiShapes.VOLUME_CREATE, "volume create");
                VolumeRules.create(document, context);
                yield allowed(document, context);
            }
        };
    }

    private static Verdict allowed(ObjectNode document, Context context) {
        return new Verdict.Allow(DockerBody.write(document), context.warnings());
    }
}
