/** A small certificate authority (BouncyCastle): CA and gateway server certificate files, tenant client certificates. */
package cx.wip.auth.ca;
