/**
 * The {@code local} backend, the embedded default: each tenant gets a dockerd in its own network namespace
 * ({@code nsenter --net}), a veth to an isolated port of a host bridge, its own address, data root, exec root,
 * cgroup parent with the plan's memory and CPU limits, a data root on an ext4 image of the plan's disk size
({@link cx.wip.vm.backend.local.TenantDisk}), and a unix socket only the gateway uses. Firewall rules keep tenants
 * away from each other and from the platform.
 */
package cx.wip.vm.backend.local;
