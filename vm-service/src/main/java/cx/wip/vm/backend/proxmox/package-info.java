/**
 * The {@code proxmox} backend: one VM per tenant on a Proxmox VE cluster, over its API with an API token.
 *
 * <h2>What it does</h2>
 * Finds the tenant's VM by name ({@code <name-prefix><tenant>}) and tag ({@code wip}); if missing, takes an id from
 * {@code /cluster/nextid} and linked-clones the template (retrying when another cloner took the id: "config file
 * already exists"), waits for the clone task's UPID to reach its {@code exitstatus} and for {@code lock: clone} to
 * clear, sets the plan's {@code memory}/{@code cores} and tags ({@code POST …/config}, a task), grows the data disk
 * ({@code disk}, default {@code scsi0}) to the plan's disk size ({@code PUT …/resize}, a task; never a shrink);
 * starts it if stopped; reads its IPv4 address from the guest agent; waits until the Docker API answers on
 * {@code docker-port} (TLS between gateway and VM daemon) and records that daemon's engine {@code ID}
 * ({@code GET /info}) with the endpoint. The VM found by name must carry the tenant's tag. A recorded endpoint is handed
 * out again only while the recorded engine answers there: a VM stopped outside vm-service can lose its DHCP address to
 * another tenant's VM, so another engine there means "not running" (the VM's address is read again from its guest
 * agent; another engine there still fails the boot, never routing the tenant to it). Idle stop is an ACPI {@code shutdown} (hard
 * {@code stop} when it fails); delete is stop + {@code DELETE ?purge=1}.
 *
 * <h2>The template the operator prepares</h2>
 * Debian 12 cloud image with {@code qemu-guest-agent} (VM option {@code agent=1}), {@code docker.io}, and dockerd
 * listening on {@code tcp://0.0.0.0:2376} with {@code --tlsverify} and a server certificate signed by the CA whose
 * client certificate the gateway presents; {@code /etc/docker/daemon.json} with
 * {@code "builder": {"Entitlements": {"network-host": false, "security-insecure": false}}}; cloud-init
 * {@code ipconfig0=ip=dhcp}; Docker's data ({@code /var/lib/docker}) on the {@code scsi0} disk, whose file system
 * cloud-init grows to the disk's size at boot ({@code growpart}/{@code resizefs}, the Debian cloud image's default) —
 * that is how the plan's disk size reaches the tenant. No {@code /var/lib/docker/engine-id} in the template (delete
 * it before converting, as {@code /etc/machine-id}): every clone must make its own engine id, or the identity check
 * cannot tell tenants' daemons apart. Converted to a template ({@code qm template}); its vmid is
 * {@code template-vmid}.
 *
 * <h2>Network walls the operator's network must enforce</h2>
 * Tenant VMs on their own bridge/VLAN; VM-to-VM traffic dropped (Proxmox firewall: a security group per VM with
 * "IN DROP" except from the gateway and ingress hosts); port 2376 reachable only from gateway hosts; published ports
 * only from ingress hosts; OUT: internet allowed, the platform networks (Redis, the services' gRPC and admin ports,
 * the Proxmox hosts and API, the management network) dropped.
 */
package cx.wip.vm.backend.proxmox;
