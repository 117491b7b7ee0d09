/** Test fixtures shared by the modules' integration tests: real clients (docker, docker-compose, curl), test certificates. */
package cx.wip.testing;
