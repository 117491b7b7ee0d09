/** Test fixtures: a throw-away local backend setup (own bridge, subnet, dirs, firewall chains) and Redis prefixes. */
package cx.wip.vm.testing;
