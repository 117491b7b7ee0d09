/** A minimal HTTP/1.1 client for the Docker Engine API, enough for readiness, container counts and image seeding. */
package cx.wip.vm.docker;
