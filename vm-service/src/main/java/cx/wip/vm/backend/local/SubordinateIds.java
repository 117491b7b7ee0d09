package cx.wip.vm.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import cx.wip.vm.spi.BackendException;

/**
 * Each tenant's own subordinate uid/gid range for {@code dockerd --userns-remap}: root in its containers is
 * {@code first} on the host, an id nobody else holds. dockerd reads the range from /etc/subuid and /etc/subgid by user
 * name, so each tenant gets a system user {@code wip-t-<hash of its data root>} whose uid and gid are the range's
 * first id (files of a tenant's containers show its name on the host) and whose ranges are written by shadow's own
 * tools (locked, atomic: {@code usermod --add-subuids}); {@code userdel} removes user, group and ranges.
 * <p>
 * The record of an allocation is /etc/subuid itself, not the tenant's state dir: the range owns files in the data
 * root, which outlives reboots, so the allocation must too. Slots are taken host-wide (every range in either file,
 * whoever made it, is avoided) under a host-wide lock, since two vm-service configurations may share a host.
 */
final class SubordinateIds {
    private static final Path SUBUID = Path.of("/etc/subuid");
    private static final Path SUBGID = Path.of("/etc/subgid");

    /**
     * @param user  the user (and group) name given to {@code --userns-remap}
     * @param first the host id of root in the tenant's containers (also the user's uid and gid)
     */
    record Range(String user, long first) {
        /** The directory dockerd keeps its data in under the data root when remapped. */
        String dataDir() {
            return first + "." + first;
        }

        long last() {
            return first + ContainmentConfig.RANGE - 1;
        }
    }

    private final ContainmentConfig config;
    private final HostLock lock;

    SubordinateIds(ContainmentConfig config, HostLock hostWide) {
        this.config = config;
        this.lock = hostWide;
    }

    /** The tenant's range, allocating it (user, group, ranges) on first use. */
    Range of(TenantPaths tenant) {
        String user = userOf(tenant);
        return lock.with(() -> recorded(user).orElseGet(() -> allocate(tenant, user)));
    }

    /** Removes the tenant's user, group and ranges (once its files are gone). */
    void release(TenantPaths tenant) {
        String user = userOf(tenant);
        lock.run(() -> {
            if (Commands.run("getent", "passwd", user).ok()) {
                Commands.ok("userdel", user);
            }
        });
    }

    /** The tenant's range as written in /etc/subuid, if it has one. */
    Optional<Range> recorded(TenantPaths tenant) {
        return recorded(userOf(tenant));
    }

    static String userOf(TenantPaths tenant) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(tenant.dataRoot().toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
            return "wip-t-" + HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Range allocate(TenantPaths tenant, String user) {
        List<long[]> taken = new ArrayList<>(ranges(SUBUID));
        taken.addAll(ranges(SUBGID));
        long first = config.subidBase();
        while (overlaps(taken, first)) {
            first += ContainmentConfig.RANGE;
        }
        Range range = new Range(user, first);
        String id = Long.toString(first);
        if (!Commands.run("getent", "passwd", user).ok()) {
            if (!Commands.run("getent", "group", user).ok()) {
                Commands.ok("groupadd", "--system", "--gid", id, user);
            }
            // -l: no lastlog/faillog entry (at an id this high they would be sparse files of hundreds of GB)
            Commands.ok("useradd", "--system", "-l", "--uid", id, "--gid", id, "--no-create-home",
                        "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                        "--comment", "wip tenant " + tenant.tenantId(), user);
        }
        String span = first + "-" + range.last();
        Commands.ok("usermod", "--add-subuids", span, "--add-subgids", span, user);
        return range;
    }

    private static boolean overlaps(List<long[]> taken, long first) {
        long last = first + ContainmentConfig.RANGE - 1;
        return taken.stream().anyMatch(r -> first <= r[1] && r[0] <= last);
    }

    private static Optional<Range> recorded(String user) {
        return entries(SUBUID).stream()
                .filter(fields -> fields[0].equals(user))
                .map(fields -> new Range(user, Long.parseLong(fields[1])))
                .filter(range -> ranges(SUBGID).stream().anyMatch(r -> r[0] == range.first()))
                .findFirst();
    }

    /** [first, last] of every range in the file. */
    private static List<long[]> ranges(Path file) {
        return entries(file).stream()
                .map(f -> new long[] {Long.parseLong(f[1]), Long.parseLong(f[1]) + Long.parseLong(f[2]) - 1})
                .toList();
    }

    private static List<String[]> entries(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .map(line -> line.strip().split(":"))
                    .filter(f -> f.length == 3 && f[1].matches("[0-9]+") && f[2].matches("[0-9]+"))
                    .toList();
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new BackendException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
