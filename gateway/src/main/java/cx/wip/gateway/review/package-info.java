/** Bodies reviewed before the daemon sees them: allow (maybe rewritten) or deny with a message. */
package cx.wip.gateway.review;
