package cx.wip.vm.backend.proxmox;

/**
 * A tenant's VM as {@code /cluster/resources} lists it.
 *
 * @param node   node it lives on
 * @param vmid   its id
 * @param status running, stopped…
 */
record ProxmoxVm(String node, int vmid, String status) {
    String path() {
        return "/nodes/" + node + "/qemu/" + vmid;
    }
}
