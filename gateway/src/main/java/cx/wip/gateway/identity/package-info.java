/** Who a request belongs to: the credential a client presents and the tenant it proves. */
package cx.wip.gateway.identity;
