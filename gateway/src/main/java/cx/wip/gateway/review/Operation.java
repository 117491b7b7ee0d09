package cx.wip.gateway.review;

/** The kinds of request whose body or query the policy reviews before the daemon sees it. */
public enum Operation {
    CONTAINER_CREATE,
    CONTAINER_UPDATE,
    EXEC_CREATE,
    NETWORK_CREATE,
    NETWORK_CONNECT,
    VOLUME_CREATE,
    BUILD,
    IMAGE_PULL
}
