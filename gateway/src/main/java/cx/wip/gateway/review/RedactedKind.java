package cx.wip.gateway.review;

/** The daemon responses that carry host details, each redacted by {@link Redactor}. */
public enum RedactedKind {
    /** GET /info */
    INFO,
    /** GET /version */
    VERSION,
    /** GET /containers/{id}/json */
    CONTAINER_INSPECT,
    /** GET /images/{name}/json */
    IMAGE_INSPECT,
    /** GET /volumes/{name} */
    VOLUME_INSPECT,
    /** GET /volumes */
    VOLUME_LIST,
    /** GET /system/df */
    SYSTEM_DF
}
