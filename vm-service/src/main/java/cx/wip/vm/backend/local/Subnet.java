package cx.wip.vm.backend.local;

/**
 * An IPv4 network: the host takes its first address, tenants take the following ones.
 *
 * @param base   network address as an int
 * @param prefix prefix length (8..30)
 */
record Subnet(int base, int prefix) {
    Subnet {
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("subnet prefix must be 8..30, got /" + prefix);
        }
    }

    static Subnet parse(String cidr) {
        String[] parts = cidr.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("subnet must be a.b.c.d/n, got " + cidr);
        }
        int prefix = Integer.parseInt(parts[1]);
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        return new Subnet(toInt(parts[0]) & mask, prefix);
    }

    /** How many tenant addresses fit (all but network, host and broadcast). */
    int tenantCapacity() {
        return (1 << (32 - prefix)) - 3;
    }

    /** The host's (bridge's) address. */
    String hostAddress() {
        return toText(base + 1);
    }

    /** The address of tenant slot {@code slot} (0-based). */
    String tenantAddress(int slot) {
        if (slot < 0 || slot >= tenantCapacity()) {
            throw new IllegalArgumentException("no tenant address slot " + slot + " in " + this);
        }
        return toText(base + 2 + slot);
    }

    /** The slot of a tenant address, or -1 when it is not one of ours. */
    int slotOf(String address) {
        int slot = toInt(address) - base - 2;
        return slot >= 0 && slot < tenantCapacity() ? slot : -1;
    }

    @Override
    public String toString() {
        return toText(base) + "/" + prefix;
    }

    private static int toInt(String address) {
        String[] octets = address.trim().split("\\.");
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        int value = 0;
        for (String octet : octets) {
            int part = Integer.parseInt(octet);
            if (part < 0 || part > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + address);
            }
            value = (value << 8) | part;
        }
        return value;
    }

    private static String toText(int value) {
        return ((value >>> 24) & 255) + "." + ((value >>> 16) & 255) + "." + ((value >>> 8) & 255) + "." + (value & 255);
    }
}
