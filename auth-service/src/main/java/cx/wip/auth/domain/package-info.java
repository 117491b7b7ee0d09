/** Tenants and their credentials: the rules, independent of gRPC and of how state is stored. */
package cx.wip.auth.domain;
