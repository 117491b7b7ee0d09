/** Client TLS toward Docker daemons that speak it (proxmox VMs), shared by the gateway and ingress-service. */
package cx.wip.tls;
