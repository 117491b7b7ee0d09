package cx.wip.vm.backend.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import cx.wip.vm.spi.BackendException;

/**
 * Serialises host-wide changes (bridge, firewall, address slots) between vm-service processes on one host (a file
 * lock) and between backend instances in one JVM (a lock per file, since file locks are per process).
 */
final class HostLock {
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path file;

    HostLock(Path file) {
        this.file = file.toAbsolutePath();
    }

    <T> T with(Supplier<T> action) {
        ReentrantLock local = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        local.lock();
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return action.get();
            }
        } catch (IOException e) {
            throw new BackendException("cannot lock " + file + ": " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }

    void run(Runnable action) {
        with(() -> {
            action.run();
            return null;
        });
    }
}
