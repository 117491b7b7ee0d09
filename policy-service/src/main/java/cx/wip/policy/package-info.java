/** policy-service: reviews what tenants send before their daemon sees it (gRPC {@code wip.policy.v1}). */
package cx.wip.policy;
