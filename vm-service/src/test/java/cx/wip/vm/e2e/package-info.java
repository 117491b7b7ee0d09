/** End-to-end: the real docker CLI through the real gateway to tenant daemons booted by a real vm-service. */
package cx.wip.vm.e2e;
