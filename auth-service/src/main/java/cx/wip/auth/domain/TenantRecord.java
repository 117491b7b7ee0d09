package cx.wip.auth.domain;

import java.util.Objects;

/**
 * A tenant as stored.
 *
 * @param id           opaque stable id ({@code tn-…})
 * @param slug         public slug used in hostnames
 * @param plan         plan name
 * @param createdMillis creation time
 * @param disabledMillis when disabled, 0 while enabled
 */
public record TenantRecord(String id, String slug, String plan, long createdMillis, long disabledMillis) {
    public TenantRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(plan, "plan");
    }

    public boolean disabled() {
        return disabledMillis > 0;
    }
}
