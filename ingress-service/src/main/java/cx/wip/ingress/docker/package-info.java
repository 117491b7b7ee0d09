/** What ingress reads from tenant daemons (through docker-client): container state, labelled containers, events. */
package cx.wip.ingress.docker;
