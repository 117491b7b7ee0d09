package cx.wip.gateway.lifecycle;

/** Without ingress-service there are no public routes to keep in step: lifecycle changes are not reported. */
public final class Unreported implements LifecycleListener {
    @Override
    public void containerChanged(ContainerEvent event) {
        // no ingress configured
    }
}
