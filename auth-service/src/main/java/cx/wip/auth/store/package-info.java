/** Tenants and hashed credentials in Redis, through Lettuce, under one key prefix. */
package cx.wip.auth.store;
