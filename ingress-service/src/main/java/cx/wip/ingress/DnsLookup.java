package cx.wip.ingress;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * Real DNS lookups through the JDK's DNS provider (JNDI), against one configured server ({@code host:port}, e.g. a
 * dnsmasq in tests) or the system's resolvers when none is configured.
 */
final class DnsLookup {
    private static final Logger LOGGER = Logger.getLogger(DnsLookup.class.getName());
    private final String providerUrl;

    /** @param server {@code host:port} of the DNS server, or empty for the system resolvers */
    DnsLookup(String server) {
        this.providerUrl = server.isBlank() ? "dns:" : "dns://" + server;
    }

    /** @return the TXT strings of the name (quotes removed); empty when the name has none */
    List<String> txt(String name) {
        List<String> values = new ArrayList<>();
        for (String raw : records(name, "TXT")) {
            values.add(raw.startsWith("\"") && raw.endsWith("\"") && raw.length() > 1
                    ? raw.substring(1, raw.length() - 1) : raw);
        }
        return values;
    }

    /** @return the CNAME targets of the name, lower case without the trailing dot */
    List<String> cname(String name) {
        List<String> values = new ArrayList<>();
        for (String raw : records(name, "CNAME")) {
            values.add(raw.toLowerCase(Locale.ROOT).replaceFirst("\\.$", ""));
        }
        return values;
    }

    private List<String> records(String name, String type) {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(DirContext.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(DirContext.PROVIDER_URL, providerUrl);
        env.put("com.sun.jndi.dns.timeout.initial", "500");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        DirContext context = null;
        try {
            context = new InitialDirContext(env);
            Attributes attributes = context.getAttributes(name, new String[] {type});
            Attribute attribute = attributes.get(type);
            List<String> values = new ArrayList<>();
            if (attribute != null) {
                NamingEnumeration<?> all = attribute.getAll();
                while (all.hasMore()) {
                    values.add(String.valueOf(all.next()));
                }
            }
            return values;
        } catch (NamingException e) {
            // refused, timed out, server failure: no proof can be seen, which is what the caller reports
            LOGGER.info(() -> "DNS lookup of " + type + " " + name + " via " + providerUrl + " failed: " + e);
            return List.of();
        } finally {
            if (context != null) {
                try {
                    context.close();
                } catch (NamingException ignored) {
                    // nothing to release beyond the lookup itself
                }
            }
        }
    }
}
