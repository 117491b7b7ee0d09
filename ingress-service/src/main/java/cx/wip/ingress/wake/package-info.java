/**
 * Engines that sleep with running apps: the waker holds an HTTP request to a sleeping tenant's route while vm-service
 * wakes its engine, then relays it to the app; the hit log learns which tenants' routes served requests and reports
 * them to vm-service, so that a used site keeps its engine awake.
 */
package cx.wip.ingress.wake;
