package cx.wip.policy.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Labels reserved by the platform are stripped from what tenants send; compose's own labels are kept. */
final class Labels {
    private Labels() {
    }

    static void stripReserved(ObjectNode document, Context context) {
        ObjectNode labels = Fields.object(document, "Labels");
        if (labels == null) {
            return;
        }
        List<String> reserved = new ArrayList<>();
        labels.fieldNames().forEachRemaining(name -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (context.plan().reservedLabels().stream().anyMatch(lower::startsWith)) {
                reserved.add(name);
            }
        });
        for (String name : reserved) {
            labels.remove(name);
            context.warn("label \"" + name + "\" was removed — labels starting with "
                    + String.join(" or ", context.plan().reservedLabels()) + " are reserved by the platform");
        }
    }
}
