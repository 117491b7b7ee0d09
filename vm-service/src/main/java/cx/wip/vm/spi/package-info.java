/**
 * The hypervisor backend SPI: one interface a team implements to run tenant Docker daemons somewhere else
 * (a local dockerd per network namespace, Proxmox VMs, a fixed map). Found by {@link java.util.ServiceLoader}
 * through {@link cx.wip.vm.spi.HypervisorBackendProvider}, chosen by {@code vm.backend}.
 */
package cx.wip.vm.spi;
