package cx.wip.vm.boot;

/**
 * Key layout under the configured prefix (default {@code wip:vm:}).
 *
 * @param prefix the prefix, e.g. {@code wip:vm:}
 */
record RedisKeys(String prefix) {
    String record(String tenant) {
        return prefix + "tenant:" + tenant;
    }

    String epoch(String tenant) {
        return prefix + "epoch:" + tenant;
    }

    String lease(String tenant) {
        return prefix + "lease:" + tenant;
    }

    String activity(String tenant) {
        return prefix + "activity:" + tenant;
    }

    /** Last HTTP hit on one of the tenant's routes (ingress). */
    String http(String tenant) {
        return prefix + "http:" + tenant;
    }

    /** Last report of an open session (gateway). */
    String session(String tenant) {
        return prefix + "session:" + tenant;
    }

    String tenants() {
        return prefix + "tenants";
    }

    String changed(String tenant) {
        return prefix + "changed:" + tenant;
    }

    String changedPattern() {
        return prefix + "changed:*";
    }

    String tenantOfChannel(String channel) {
        return channel.substring((prefix + "changed:").length());
    }
}
