package cx.wip.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cx.wip.gateway.identity.Tenant;
import cx.wip.gateway.quota.Usage;
import cx.wip.gateway.review.Operation;
import cx.wip.gateway.review.Review;
import cx.wip.gateway.review.Reviewer;

/**
 * A reviewer that checks a plan's quotas from the usage it is given, the way policy-service does (containers + 1 ≤ max,
 * memory + this container's ≤ total; an update: memory without the container + its new memory ≤ total), stamps its
 * label with the memory on what it allows, and records every usage it saw.
 */
final class QuotaReviewer implements Reviewer {
    static final String QUOTA = "wip-test: quota";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String label;
    private final int maxContainers;
    private final long totalMemory;
    private final long defaultMemory;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    /** What one review was given. */
    record Seen(Operation operation, String path, Optional<Usage> usage) {
    }

    QuotaReviewer(String label, int maxContainers, long totalMemory, long defaultMemory) {
        this.label = label;
        this.maxContainers = maxContainers;
        this.totalMemory = totalMemory;
        this.defaultMemory = defaultMemory;
    }

    String label() {
        return label;
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    @Override
    public boolean countsUsage() {
        return true;
    }

    @Override
    public Review review(Tenant tenant, Operation operation, String method, String path, String rawQuery, byte[] body,
                         Optional<Usage> usage) {
        seen.add(new Seen(operation, path, usage));
        if (operation != Operation.CONTAINER_CREATE && operation != Operation.CONTAINER_UPDATE) {
            return new Review.Allow(body, List.of());
        }
        if (usage.isEmpty()) {
            return new Review.Deny(500, "wip-test: no usage given");
        }
        ObjectNode document = read(body);
        boolean create = operation == Operation.CONTAINER_CREATE;
        ObjectNode resources = create ? object(document, "HostConfig") : document;
        long memory = resources.path("Memory").asLong(0);
        if (create && memory <= 0) {
            memory = defaultMemory;
            resources.put("Memory", memory);
        }
        if (create && usage.get().containers() + 1 > maxContainers) {
            return new Review.Deny(403, QUOTA + " containers");
        }
        if (memory > 0 && usage.get().memoryBytes() + memory > totalMemory) {
            return new Review.Deny(403, QUOTA + " memory");
        }
        if (create) {
            object(document, "Labels").put(label, String.valueOf(memory));
        }
        return new Review.Allow(document.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), List.of());
    }

    private static ObjectNode object(ObjectNode parent, String name) {
        return parent.get(name) instanceof ObjectNode child ? child : parent.putObject(name);
    }

    private static ObjectNode read(byte[] body) {
        try {
            return body.length == 0 ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
