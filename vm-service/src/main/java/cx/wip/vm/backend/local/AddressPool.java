package cx.wip.vm.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.stream.Stream;

import cx.wip.vm.spi.BackendException;

/**
 * Hands each tenant its own address in the bridge's subnet. The address lives in the tenant's state directory, so
 * it survives restarts of vm-service and of the daemon; allocation holds the host lock (several processes).
 */
final class AddressPool {
    private final LocalConfig config;
    private final HostLock lock;

    AddressPool(LocalConfig config, HostLock lock) {
        this.config = config;
        this.lock = lock;
    }

    /** The tenant's address, allocating the lowest free one on first use. */
    String addressOf(TenantPaths tenant) {
        return lock.with(() -> {
            try {
                if (Files.exists(tenant.addressFile())) {
                    return Files.readString(tenant.addressFile()).strip();
                }
                String address = config.subnet().tenantAddress(firstFreeSlot());
                Files.createDirectories(tenant.stateDir());
                Files.writeString(tenant.addressFile(), address, StandardCharsets.UTF_8);
                return address;
            } catch (IOException e) {
                throw new BackendException("cannot allocate an address for " + tenant.tenantId() + ": " + e, e);
            }
        });
    }

    private int firstFreeSlot() throws IOException {
        BitSet used = new BitSet();
        if (Files.isDirectory(config.stateDir())) {
            try (Stream<Path> dirs = Files.list(config.stateDir())) {
                dirs.map(dir -> dir.resolve("address")).filter(Files::isRegularFile).forEach(file -> {
                    try {
                        int slot = config.subnet().slotOf(Files.readString(file).strip());
                        if (slot >= 0) {
                            used.set(slot);
                        }
                    } catch (IOException | IllegalArgumentException ignored) {
                        // an unreadable or foreign file holds no slot
                    }
                });
            }
        }
        int slot = used.nextClearBit(0);
        if (slot >= config.subnet().tenantCapacity()) {
            throw new BackendException("no free tenant address left in " + config.subnet());
        }
        return slot;
    }
}
