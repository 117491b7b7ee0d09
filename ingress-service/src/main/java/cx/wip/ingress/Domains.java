package cx.wip.ingress;

/**
 * Custom domains: a tenant claims one (gets a token), proves it in DNS (TXT {@code _wip.<domain>} = token, or a CNAME
 * to {@code <slug>.<base-domain>}), and from then on the domain is the tenant's alone.
 */
final class Domains {
    private final IngressStore store;
    private final DnsLookup dns;
    private final String baseDomain;

    Domains(IngressStore store, DnsLookup dns, String baseDomain) {
        this.store = store;
        this.dns = dns;
        this.baseDomain = baseDomain;
    }

    /**
     * @param domain   the domain
     * @param txtName  TXT record name
     * @param txtValue TXT record value
     * @param cname    CNAME target that proves it too
     * @param verified already the tenant's
     */
    record Claim(String domain, String txtName, String txtValue, String cname, boolean verified) {
        String instructions() {
            return "publish DNS TXT " + txtName + " \"" + txtValue + "\" (or CNAME " + domain + " to " + cname
                    + "), then retry";
        }
    }

    Claim claim(TenantRef tenant, String name) {
        String domain = HttpLabel.domain(name);
        refuseIfOthers(tenant, domain);
        return new Claim(domain, "_wip." + domain, store.domainToken(domain, tenant.id()),
                tenant.slug() + "." + baseDomain, verified(tenant, domain));
    }

    boolean verified(TenantRef tenant, String domain) {
        return store.domainOwner(domain).map(tenant.id()::equals).orElse(false);
    }

    /**
     * Looks the proof up in DNS now.
     *
     * @return the claim, {@code verified} when the proof was found (the domain is the tenant's from now on)
     * @throws HostTakenException when another tenant owns the domain
     */
    Claim verify(TenantRef tenant, String name) {
        Claim claim = claim(tenant, name);
        if (claim.verified()) {
            return claim;
        }
        boolean proven = dns.txt(claim.txtName()).contains(claim.txtValue())
                || dns.cname(claim.domain()).contains(claim.cname());
        if (proven && !store.ownDomain(claim.domain(), tenant.id())) {
            throw new HostTakenException(claim.domain());
        }
        return new Claim(claim.domain(), claim.txtName(), claim.txtValue(), claim.cname(), proven);
    }

    /**
     * @throws DomainUnverifiedException with the DNS record to publish, unless the domain is (now) verified
     */
    void requireVerified(TenantRef tenant, String domain) {
        Claim claim = verify(tenant, domain);
        if (!claim.verified()) {
            throw new DomainUnverifiedException("custom domain " + domain + " is not verified: "
                    + claim.instructions());
        }
    }

    private void refuseIfOthers(TenantRef tenant, String domain) {
        if (store.domainOwner(domain).filter(owner -> !owner.equals(tenant.id())).isPresent()) {
            throw new HostTakenException(domain);
        }
    }
}
