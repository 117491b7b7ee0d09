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
