/** vm-service: gRPC {@code wip.vm.v1.VmService} on Helidon, wiring config, Redis and the chosen backend. */
package cx.wip.vm;
