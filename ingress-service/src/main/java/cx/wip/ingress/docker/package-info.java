/** A small Docker Engine API client: container inspect, labelled-container listing, the event stream. */
package cx.wip.ingress.docker;
