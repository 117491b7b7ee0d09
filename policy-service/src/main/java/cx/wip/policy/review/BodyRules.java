package cx.wip.policy.review;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One pass of the rules over a JSON body: read it the way the daemon reads it, apply the operation's rules
 * (refusals, rewrites, clamps, defaults), write the body that would be forwarded.
 */
final class BodyRules {
    private BodyRules() {
    }

    /** @return the body the rules would forward; never the bytes that came in */
    static byte[] apply(Request.Operation operation, byte[] body, Context context) {
        ObjectNode document = switch (operation) {
            case CONTAINER_CREATE -> {
                ObjectNode create = DockerBody.read(body, ApiShapes.CONTAINER_CREATE, what(operation),
                        ApiShapes.HOST_CONFIG);
                ContainerRules.create(create, context);
                yield create;
            }
            case CONTAINER_UPDATE -> {
                ObjectNode update = DockerBody.read(body, ApiShapes.CONTAINER_UPDATE, what(operation));
                ContainerRules.update(update, context);
                yield update;
            }
            case EXEC_CREATE -> {
                ObjectNode exec = DockerBody.read(body, ApiShapes.EXEC_CREATE, what(operation));
                ContainerRules.exec(exec);
                yield exec;
            }
            case NETWORK_CREATE -> {
                ObjectNode network = DockerBody.read(body, ApiShapes.NETWORK_CREATE, what(operation));
                NetworkRules.create(network, context);
                yield network;
            }
            case NETWORK_CONNECT -> {
                ObjectNode connect = DockerBody.read(body, ApiShapes.NETWORK_CONNECT, what(operation));
                ObjectNode endpoint = Fields.object(connect, "EndpointConfig");
                if (endpoint != null) {
                    NetworkRules.endpoint(endpoint);
                }
                yield connect;
            }
            case VOLUME_CREATE -> {
                ObjectNode volume = DockerBody.read(body, ApiShapes.VOLUME_CREATE, what(operation));
                VolumeRules.create(volume, context);
                yield volume;
            }
            case BUILD, IMAGE_PULL -> throw new IllegalArgumentException(operation + " is reviewed by its query");
        };
        return DockerBody.write(document);
    }

    /** "container create", as messages name the request. */
    static String what(Request.Operation operation) {
        return operation.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
