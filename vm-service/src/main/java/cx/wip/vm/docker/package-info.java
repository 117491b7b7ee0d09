/** What vm-service asks a tenant's engine about its containers, through docker-client's {@code DockerEngine}. */
package cx.wip.vm.docker;
