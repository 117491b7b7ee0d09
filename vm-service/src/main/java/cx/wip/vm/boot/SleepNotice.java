package cx.wip.vm.boot;

/** Tells the route backend that an engine's apps are about to freeze, so that no request reaches them frozen. */
@FunctionalInterface
public interface SleepNotice {
    /** No ingress in front of the engines (nothing routes requests to their apps): freezing is always fine. */
    SleepNotice NONE = tenantId -> true;

    /** @return whether the tenant's routes lead to the waker now (false: do not freeze, stop the engine instead) */
    boolean routesOnWaker(String tenantId);
}
