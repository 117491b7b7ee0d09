/**
 * The {@code static} backend: a configured map tenant → daemon, for operators who run the daemons themselves.
 * It never creates, stops or deletes anything; it only says where a tenant's daemon is and whether it answers.
 */
package cx.wip.vm.backend.fixed;
