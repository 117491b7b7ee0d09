package cx.wip.vm.backend.proxmox;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import cx.wip.vm.spi.BackendException;

/**
 * The tenant VM's data disk sized to the plan: {@code PUT …/resize} ({@code disk=scsi0&size=50G}) returns a task
 * UPID whose worker grows the volume (before PVE 8 it answered null, done within the request: both are handled);
 * Proxmox never shrinks a disk ("shrinking disks is not supported"), so a plan
 * smaller than the template's disk leaves it as it is. The guest grows its file system at boot (cloud-init's
 * growpart/resizefs in the template).
 */
final class ProxmoxDisk {
    /** {@code size=8G} inside a drive string such as {@code local-lvm:vm-101-disk-0,iothread=1,size=8G}. */
    private static final Pattern SIZE = Pattern.compile("(?:^|,)size=(\\d+(?:\\.\\d+)?)([KMGT]?)(?:,|$)");
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    private ProxmoxDisk() {
    }

    /**
     * Grows {@code disk} of the VM to {@code planBytes} when smaller.
     *
     * @return the disk's size afterwards (what the tenant gets), 0 when the VM has no such disk
     */
    static long grow(ProxmoxApi api, ProxmoxVm vm, String disk, long planBytes, long deadline) {
        long current = size(api, vm, disk);
        if (planBytes <= current) {
            return current;
        }
        if (current == 0) {
            throw new BackendException("VM " + vm.vmid() + " has no disk '" + disk + "' to size to the plan"
                                       + " (vm.backends.proxmox.disk names the template's data disk)");
        }
        JsonNode task = api.put(vm.path() + "/resize", Map.of("disk", disk, "size", sizeArgument(planBytes)));
        if (task.isTextual()) {
            api.awaitTask(vm.node(), task.asText(), deadline);
        }
        return size(api, vm, disk);
    }

    /** The size as Proxmox takes it: whole GiB as {@code 50G}, otherwise MiB rounded up ({@code 65M}). */
    static String sizeArgument(long bytes) {
        return bytes % GIB == 0 ? bytes / GIB + "G" : (bytes + MIB - 1) / MIB + "M";
    }

    /** Bytes of a drive string's {@code size=…}, 0 when it has none. */
    static long parseSize(String drive) {
        Matcher size = SIZE.matcher(drive);
        if (!size.find()) {
            return 0;
        }
        double value = Double.parseDouble(size.group(1));
        long unit = switch (size.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 1L << 10;
            case "M" -> MIB;
            case "G" -> GIB;
            case "T" -> 1L << 40;
            default -> 1;
        };
        return (long) (value * unit);
    }

    private static long size(ProxmoxApi api, ProxmoxVm vm, String disk) {
        return parseSize(api.get(vm.path() + "/config").path(disk).asText(""));
    }
}
