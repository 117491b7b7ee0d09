/** Plans: per-container limits, tenant quotas and allowlists, read from YAML config. */
package cx.wip.policy.plan;
