/**
 * Exactly one boot per tenant: in-process single flight, a Redis lease with renewal and a fencing epoch across
 * replicas, endpoint records that survive restarts, waiters that watch the record, and idle stop.
 */
package cx.wip.vm.boot;
