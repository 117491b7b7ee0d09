package cx.wip.vm.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The host as one tenant engine sees it: dockerd starts in a mount and a pid namespace of its own
 * ({@code unshare --mount --pid --fork --mount-proc}) where the platform's state and secrets, the host's docker and
 * containerd, other tenants' state and data, /root and /home are not there at all: each is an empty tmpfs (a
 * directory) or /dev/null (a file). A container that binds {@code /} sees this view, not the host's, and its
 * {@code /proc} shows the tenant's processes only.
 * <p>
 * What stays: the tenant's own state dir (its socket, which the gateway reaches from the host's view because a bind
 * mount shares the directory) and data root, the rest of the system (/usr, /lib, /etc minus secrets, /dev, /sys and
 * the cgroup fs), and the engine guard's socket at {@code /run/docker/plugins}. They are opened before anything is
 * hidden and bound back from those open files ({@code /proc/self/fd/N}), because their paths are hidden by then.
 * /run and the temporary directories become private writable tmpfs (containerd's shims keep sockets in
 * /run/containerd); every other mask is read-only. A shell is pid 1 of the namespace: it reaps orphans, and when
 * dockerd ends, so does everything the tenant started.
 */
final class PrivateView {
    private static final Set<String> WRITABLE = Set.of("/run", "/tmp", "/var/tmp", "/dev/shm", "/dev/mqueue");

    private final LocalConfig config;

    PrivateView(LocalConfig config) {
        this.config = config;
    }

    /**
     * The command that runs {@code script} in a new mount and pid namespace. The script is a file (not {@code sh -c}
     * with dockerd's arguments) so that only dockerd's own command line names its pid file: that is how the host
     * finds it.
     */
    static List<String> command(Path script) {
        return List.of("unshare", "--mount", "--pid", "--fork", "--mount-proc", "--propagation", "private", "--",
                       "sh", script.toString());
    }

    /** The script that hides what the engine must not see, then runs {@code dockerd} as pid 1's child. */
    String script(TenantPaths tenant, Path guardDirectory, List<String> dockerd) {
        List<String> hidden = hidden();
        StringBuilder script = new StringBuilder("set -eu\n");
        script.append("exec 3<").append(quote(tenant.stateDir())).append(" 4<").append(quote(tenant.dataRoot()))
                .append('\n');
        if (guardDirectory != null) {
            script.append("exec 5<").append(quote(guardDirectory)).append('\n');
        }
        Path resolvConf = resolvConf();
        boolean keepResolv = hidden.stream().anyMatch(h -> under(resolvConf, h));
        if (keepResolv) {
            script.append("exec 6<").append(quote(resolvConf)).append('\n');
        }
        releaseOthers(script, tenant);
        for (String path : hidden) {
            String q = quote(path);
            String options = WRITABLE.contains(path) ? "size=64m,mode=" + (path.equals("/run") ? "755" : "1777")
                                                     : "size=16k,mode=755";
            script.append("if [ -d ").append(q).append(" ] && [ ! -L ").append(q).append(" ]; then mount -t tmpfs -o ")
                    .append(options).append(" wip-hidden ").append(q).append("; elif [ -e ").append(q)
                    .append(" ] && [ ! -L ").append(q).append(" ]; then mount --bind /dev/null ").append(q)
                    .append("; fi\n");
        }
        bindBack(script, 3, tenant.stateDir().toString(), true);
        bindBack(script, 4, tenant.dataRoot().toString(), true);
        if (guardDirectory != null) {
            bindBack(script, 5, "/run/docker/plugins", true);
        }
        if (keepResolv) {
            bindBack(script, 6, resolvConf.toString(), false);
        }
        for (String path : hidden) {
            if (!WRITABLE.contains(path)) {
                script.append("if mountpoint -q ").append(quote(path)).append(" && [ -d ").append(quote(path))
                        .append(" ]; then mount -o remount,ro ").append(quote(path)).append("; fi\n");
            }
        }
        // pid 1 of the namespace: wait (waitpid(-1)) also reaps orphans re-parented to us
        script.append("exec 3<&- 4<&- 5<&- 6<&-\n");
        dockerd.forEach(argument -> script.append(quote(argument)).append(' '));
        return script.append("&\nwait $!\n").toString();
    }

    /**
     * The new namespace starts with a copy of every mount of the host, other engines' disks included; hiding their
     * directory would leave the copies mounted underneath, holding those disks attached after their engines stop (their
     * next boot could not mount them while this engine runs). So every mount under the state and data dirs except the
     * tenant's own is detached here (the namespace's propagation is private: the host keeps its mounts).
     */
    private void releaseOthers(StringBuilder script, TenantPaths tenant) {
        String data = quote(real(config.dataDir()));
        String state = quote(real(config.stateDir()));
        String ownData = quote(real(tenant.dataRoot()));
        String ownState = quote(real(tenant.stateDir()));
        script.append("mounts=$(cat /proc/self/mountinfo)\n")
                .append("printf '%s\\n' \"$mounts\" | while read -r _ _ _ _ point _; do\n")
                .append("  case \"$point\" in ").append(data).append("/*|").append(state)
                .append("/*) ;; *) continue ;; esac\n")
                .append("  case \"$point\" in ").append(ownData).append('|').append(ownData).append("/*|")
                .append(ownState).append('|').append(ownState).append("/*) continue ;; esac\n")
                .append("  umount -l \"$point\" 2>/dev/null || true\n")
                .append("done\n");
    }

    /** Every hidden path, parents before children, symlinks resolved (/var/run is /run). */
    List<String> hidden() {
        Set<String> paths = new LinkedHashSet<>();
        List<Path> all = new ArrayList<>(config.containment().hiddenPaths());
        all.addAll(config.containment().alsoHidden());
        all.add(config.stateDir());
        all.add(config.dataDir());
        for (Path path : all) {
            paths.add(real(path).toString());
        }
        return paths.stream().sorted(Comparator.comparingInt(String::length)).toList();
    }

    private static void bindBack(StringBuilder script, int fd, String target, boolean directory) {
        String q = quote(target);
        script.append(directory ? "mkdir -p " + q : "mkdir -p \"$(dirname " + q + ")\" && touch " + q).append('\n')
                .append("mount --no-canonicalize --bind /proc/self/fd/").append(fd).append(' ').append(q)
                .append('\n');
    }

    private static Path resolvConf() {
        return real(Path.of("/etc/resolv.conf"));
    }

    private static Path real(Path path) {
        try {
            return path.toAbsolutePath().toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    private static boolean under(Path path, String root) {
        return path.startsWith(Path.of(root));
    }

    private static String quote(Object path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }
}
