package cx.wip.vm.spi;

/**
 * A backend that can keep engines booted before anyone asks (a warm pool): a new tenant's first request is then
 * answered by a spare instead of waiting for a boot. Handing out a spare is part of
 * {@link HypervisorBackend#ensureRunning}; a spare goes to one tenant only, ever, and only to a tenant that has no
 * engine yet (a spare has never held anyone's data).
 */
public interface SpareEngines {
    /**
     * Keeps {@code size} spare engines ready, made for tenants like {@code template} (its limits; its id is not
     * used), booting them in the background and again after each one is handed out. 0 stops refilling.
     */
    void keep(int size, TenantSpec template);

    /** Spare engines ready to be handed out now. */
    int ready();

    /** Stops refilling and removes every spare nobody was handed (an operator's stop-all; teardown). */
    void discard();
}
