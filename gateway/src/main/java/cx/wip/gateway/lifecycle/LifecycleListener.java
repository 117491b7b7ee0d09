package cx.wip.gateway.lifecycle;

/** Told about container lifecycle after the daemon answered with success; must not block the request path. */
public interface LifecycleListener {
    void containerChanged(ContainerEvent event);
}
