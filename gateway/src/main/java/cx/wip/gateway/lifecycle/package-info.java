/** Container lifecycle the gateway reports (to ingress) after the daemon answered. */
package cx.wip.gateway.lifecycle;
