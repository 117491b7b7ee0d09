package cx.wip.policy.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import cx.wip.policy.plan.Plan;

/**
 * One review in progress: the tenant's plan, what the tenant uses now, and the warnings collected so far.
 */
final class Context {
    private final Plan plan;
    private final Optional<Usage> usage;
    private final List<String> warnings = new ArrayList<>();

    Context(Plan plan, Optional<Usage> usage) {
        this.plan = plan;
        this.usage = usage;
    }

    Plan plan() {
        return plan;
    }

    Optional<Usage> usage() {
        return usage;
    }

    void warn(String warning) {
        warnings.add("wip: " + warning);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** A refusal naming the setting as the user wrote it, the value, why, and what to do instead. */
    static PolicyException.Refused refuse(String setting, String value, String instead) {
        return PolicyException.refused(rule(setting), "\"" + setting + ": " + value + "\" is not allowed — "
                + instead);
    }

    /** The rule id of a refusal: its setting name (a constant in the rules), in snake case. */
    static String rule(String setting) {
        return setting.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.]+", "_");
    }
}
