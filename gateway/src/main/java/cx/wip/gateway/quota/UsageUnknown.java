package cx.wip.gateway.quota;

/** The usage could not be read: the quota cannot be checked, so the change is refused. The message is for the log. */
final class UsageUnknown extends Exception {
    UsageUnknown(String why, Throwable cause) {
        super(why, cause);
    }
}
