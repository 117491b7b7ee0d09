package cx.wip.vm.boot;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Periodically stops tenants that had no API activity and no running containers for their plan's idle time. */
final class IdleReaper implements Runnable {
    private static final Logger LOGGER = Logger.getLogger(IdleReaper.class.getName());

    private final BootCoordinator coordinator;

    IdleReaper(BootCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void run() {
        long now = System.currentTimeMillis();
        for (String tenant : coordinator.tenants()) {
            try {
                coordinator.stopIfIdle(tenant, now);
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "idle check of " + tenant + " failed", e);
            }
        }
    }
}
