/**
 * The rules: request bodies read the way the daemon reads them, escapes refused with a message that says what to
 * do instead, host binds rewritten to volumes, the plan's limits applied.
 */
package cx.wip.policy.review;
