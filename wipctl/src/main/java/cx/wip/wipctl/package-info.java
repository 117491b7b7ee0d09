/** wipctl, the operator CLI: tenants and credentials through auth-service's admin API. */
package cx.wip.wipctl;
