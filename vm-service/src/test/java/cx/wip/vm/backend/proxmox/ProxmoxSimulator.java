package cx.wip.vm.backend.proxmox;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A SIMULATOR of the Proxmox VE API (not Proxmox): the documented shapes and errors the backend meets, in memory.
 * {@code {"data": …}} answers; errors as {@code {"data":null,"message":…,"errors":…}}; clones that hold
 * {@code lock: clone} until their task ends; {@code /cluster/nextid} that does not reserve (and can be made to
 * race); tasks whose UPID reaches {@code exitstatus: OK} after a delay; a guest agent that is "not running" for a
 * while after start; an lxc container and a template among the resources; the config API (asynchronous
 * {@code POST …/config} returning a UPID, synchronous {@code PUT}; parameter checks as 400 "Parameter verification
 * failed."; "VM is locked" while cloning) and disk resizing ({@code PUT …/resize} returning a UPID whose task fails
 * with Proxmox's own words on a shrink or an unknown disk). Each running VM gets a loopback address (127.0.1.N)
 * from a DHCP-like lease — its last address again unless a running VM holds it now, else the lowest free one — where
 * a tiny Docker API ({@link FakeDockerApi}) answers as the VM's own engine. Two VMs can be made to hold one address
 * ({@link #leaseNext}); the daemon that bound it first answers there, as after an address conflict on a real bridge.
 */
final class ProxmoxSimulator implements AutoCloseable {
    static final String NODE = "pve";
    static final int TEMPLATE = 9000;
    static final String TOKEN = "PVEAPIToken=root@pam!wip=s3cret";
    /** The template's (and so every linked clone's) scsi0 size. */
    static final long TEMPLATE_DISK = 8L << 30;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern QEMU = Pattern.compile("/nodes/([^/]+)/qemu/(\\d+)(/.*)?");
    private static final Pattern TASK = Pattern.compile("/nodes/([^/]+)/tasks/([^/]+)/status");
    private static final Pattern DRIVES = Pattern.compile("(ide|sata|scsi|virtio)\\d+|efidisk0|tpmstate0");
    private static final Pattern SIZE = Pattern.compile("\\+?\\d+(\\.\\d+)?[KMGT]?");
    private static final Pattern TAGS = Pattern.compile("([a-z0-9_][a-z0-9_\\-+.]*)(;[a-z0-9_][a-z0-9_\\-+.]*)*");

    private final HttpServer server;
    private final int dockerPort;
    private final long taskMillis;
    private final long agentMillis;
    private final Map<Integer, Vm> vms = new TreeMap<>();
    private final Map<String, Task> tasks = new HashMap<>();
    private final AtomicInteger clones = new AtomicInteger();
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicInteger resizes = new AtomicInteger();
    private int nextIdRaces;
    private boolean synchronousResize;

    private static final class Vm {
        int vmid;
        String name;
        String type = "qemu";
        boolean template;
        String status = "stopped";
        String lock;
        String tags = "";
        int memory = 2048;
        int cores = 2;
        long diskBytes = TEMPLATE_DISK;
        long agentReadyAt = Long.MAX_VALUE;
        /** dockerd's ID, kept on the VM's disk: the same across restarts, its own for every clone. */
        final String engineId = UUID.randomUUID().toString();
        /** The address of the last lease (kept while stopped: DHCP tends to give it back). */
        String address;
        /** An address DHCP hands this VM at its next start, whoever holds it (tests). */
        String nextLease;
        HttpServer docker;
    }

    /** A worker: runs when its time comes and answers its exitstatus ({@code OK} or the error). */
    private record Task(long doneAt, Supplier<String> worker, String[] exit) {
    }

    ProxmoxSimulator(int dockerPort, long taskMillis, long agentMillis) throws IOException {
        this.dockerPort = dockerPort;
        this.taskMillis = taskMillis;
        this.agentMillis = agentMillis;
        Vm template = new Vm();
        template.vmid = TEMPLATE;
        template.name = "debian12-docker";
        template.template = true;
        vms.put(TEMPLATE, template);
        Vm container = new Vm();
        container.vmid = 200;
        container.name = "wip-lxc-lookalike";
        container.type = "lxc";
        container.tags = "wip";
        vms.put(200, container);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api2/json", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api2/json";
    }

    int dockerPort() {
        return dockerPort;
    }

    int clones() {
        return clones.get();
    }

    int starts() {
        return starts.get();
    }

    int resizes() {
        return resizes.get();
    }

    /** The config of a VM as {@code GET …/config} answers it (for checks). */
    synchronized Map<String, Object> config(int vmid) {
        return config(vms.get(vmid));
    }

    /** The vmid of the VM with this name, -1 when none. */
    synchronized int vmid(String name) {
        return vms.values().stream().filter(vm -> name.equals(vm.name)).mapToInt(vm -> vm.vmid).findFirst()
                .orElse(-1);
    }

    /** The engine id of the daemon in the VM with this name. */
    synchronized String engineId(String name) {
        return named(name).engineId;
    }

    /** Stops the VM as an operator's {@code qm stop} would: at once, behind vm-service's back; its lease ends. */
    synchronized void stopOutside(String name) {
        halt(named(name));
    }

    /** DHCP gives the VM with this name {@code address} at its next start, even when another VM holds it. */
    synchronized void leaseNext(String name, String address) {
        named(name).nextLease = address;
    }

    /** Sets a VM's tags as an operator editing it in the web UI would. */
    synchronized void retag(String name, String tags) {
        named(name).tags = tags;
    }

    /** Resizes as Proxmox VE before 8 did: done within the request, answering null (errors as 500). */
    synchronized void synchronousResize() {
        synchronousResize = true;
    }

    /** The next {@code count} nextid answers are taken by "another cloner" before our clone arrives. */
    synchronized void raceNextId(int count) {
        nextIdRaces = count;
    }

    @Override
    public synchronized void close() {
        vms.values().forEach(vm -> {
            if (vm.docker != null) {
                vm.docker.stop(0);
            }
        });
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                Map<String, Object> denied = new HashMap<>();
                denied.put("data", null);
                denied.put("message", "authentication failure");
                send(exchange, 401, denied);
                return;
            }
            String path = exchange.getRequestURI().getPath().substring("/api2/json".length());
            Map<String, String> params = params(exchange);
            Answer answer;
            synchronized (this) {
                completeTasks();
                answer = route(exchange.getRequestMethod(), path, params);
            }
            if (answer.status == 200) {
                Map<String, Object> ok = new HashMap<>();
                ok.put("data", answer.data);
                send(exchange, 200, ok);
            } else {
                Map<String, Object> error = new HashMap<>();
                error.put("data", null);
                error.put("message", answer.data + "\n");
                if (answer.errors != null) {
                    error.put("errors", answer.errors);
                }
                send(exchange, answer.status, error);
            }
        }
    }

    private record Answer(int status, Object data, Map<String, String> errors) {
        static Answer ok(Object data) {
            return new Answer(200, data, null);
        }

        /** A call this simulator does not model: Proxmox's status for an unknown method (501), our own words. */
        static Answer unmodelled(String call) {
            return fail(501, "the Proxmox simulator does not model '" + call + "'");
        }

        static Answer fail(int status, String message) {
            return new Answer(status, message, null);
        }
    }

    private Answer route(String method, String path, Map<String, String> params) {
        if (path.equals("/cluster/resources") && method.equals("GET")) {
            return Answer.ok(vms.values().stream().map(this::resource).toList());
        }
        if (path.equals("/cluster/nextid") && method.equals("GET")) {
            return Answer.ok(Integer.toString(nextId()));
        }
        Matcher task = TASK.matcher(path);
        if (task.matches()) {
            Task found = tasks.get(URLDecoder.decode(task.group(2), StandardCharsets.UTF_8));
            if (found == null) {
                return Answer.fail(500, "no such task");
            }
            return Answer.ok(found.exit[0] == null ? Map.of("status", "running")
                                     : Map.of("status", "stopped", "exitstatus", found.exit[0]));
        }
        Matcher qemu = QEMU.matcher(path);
        if (!qemu.matches()) {
            return Answer.unmodelled(method + " " + path);
        }
        int vmid = Integer.parseInt(qemu.group(2));
        Vm vm = vms.get(vmid);
        if (vm == null || !"qemu".equals(vm.type)) {
            return Answer.fail(500, "Configuration file 'nodes/" + NODE + "/qemu-server/" + vmid
                                    + ".conf' does not exist");
        }
        String action = method + " " + (qemu.group(3) == null ? "" : qemu.group(3));
        return switch (action) {
            case "POST /clone" -> cloneVm(vm, params);
            case "GET /config" -> Answer.ok(config(vm));
            case "PUT /config" -> configure(vm, params, false);
            case "POST /config" -> configure(vm, params, true);
            case "PUT /resize" -> resize(vm, params);
            case "GET /status/current" -> Answer.ok(current(vm));
            case "POST /status/start" -> start(vm);
            case "POST /status/shutdown", "POST /status/stop" -> stopVm(vm);
            case "POST /agent/ping" -> agent(vm, Map.of());
            case "GET /agent/network-get-interfaces" -> agent(vm, Map.of("result", interfaces(vm)));
            case "DELETE " -> destroy(vm);
            default -> Answer.unmodelled(action);
        };
    }

    private Answer cloneVm(Vm template, Map<String, String> params) {
        if (params.containsKey("storage") && !"1".equals(params.get("full"))) {
            return new Answer(400, "Parameter verification failed.",
                              Map.of("storage", "storage can only be set for full clones"));
        }
        if (!template.template) {
            return Answer.fail(500, "VM " + template.vmid + " is not a template");
        }
        int newid = Integer.parseInt(params.getOrDefault("newid", "0"));
        if (vms.containsKey(newid)) {
            return Answer.fail(500, "unable to create VM " + newid + ": config file already exists");
        }
        Vm clone = new Vm();
        clone.vmid = newid;
        clone.name = params.getOrDefault("name", "VM " + newid);
        clone.lock = "clone";
        clone.diskBytes = template.diskBytes;
        vms.put(newid, clone);
        clones.incrementAndGet();
        return Answer.ok(task("qmclone", newid, () -> clone.lock = null));
    }

    /** {@code POST} (asynchronous: a qmconfig task's UPID) or {@code PUT} (synchronous: null) of tags/memory/cores. */
    private Answer configure(Vm vm, Map<String, String> params, boolean async) {
        Map<String, String> errors = new TreeMap<>();
        for (String key : params.keySet()) {
            if (!Set.of("tags", "memory", "cores", "digest").contains(key)) {
                errors.put(key, "property is not defined in schema and the schema does not allow additional"
                                + " properties");
            }
        }
        if (params.containsKey("tags") && !TAGS.matcher(params.get("tags")).matches()) {
            errors.put("tags", "invalid format - value does not match the regex pattern");
        }
        checkInteger(params, "memory", 16, errors);
        checkInteger(params, "cores", 1, errors);
        if (!errors.isEmpty()) {
            return new Answer(400, "Parameter verification failed.", errors);
        }
        if (vm.lock != null) {
            return Answer.fail(500, "VM is locked (" + vm.lock + ")");
        }
        Runnable apply = () -> {
            vm.tags = params.getOrDefault("tags", vm.tags);
            vm.memory = Integer.parseInt(params.getOrDefault("memory", Integer.toString(vm.memory)));
            vm.cores = Integer.parseInt(params.getOrDefault("cores", Integer.toString(vm.cores)));
        };
        if (!async) {
            apply.run();
            return Answer.ok(null);
        }
        return Answer.ok(task("qmconfig", vm.vmid, apply));
    }

    /** Parameters checked before the worker; the rest (lock, disk, shrink) fails the task, as in Proxmox. */
    private Answer resize(Vm vm, Map<String, String> params) {
        Map<String, String> errors = new TreeMap<>();
        String disk = params.getOrDefault("disk", "");
        String size = params.getOrDefault("size", "");
        if (!DRIVES.matcher(disk).matches()) {
            errors.put("disk", disk.isEmpty() ? "property is missing and it is not optional"
                    : "value '" + disk + "' does not have a value in the enumeration");
        }
        if (!SIZE.matcher(size).matches()) {
            errors.put("size", size.isEmpty() ? "property is missing and it is not optional"
                    : "value does not match the regex pattern");
        }
        if (!errors.isEmpty()) {
            return new Answer(400, "Parameter verification failed.", errors);
        }
        resizes.incrementAndGet();
        Supplier<String> worker = () -> {
            if (vm.lock != null) {
                return "VM is locked (" + vm.lock + ")";
            }
            if (!"scsi0".equals(disk)) {
                return "disk '" + disk + "' does not exist";
            }
            boolean relative = size.startsWith("+");
            long bytes = bytes(relative ? size.substring(1) : size) + (relative ? vm.diskBytes : 0);
            if (bytes < vm.diskBytes) {
                return "shrinking disks is not supported";
            }
            vm.diskBytes = bytes;
            return "OK";
        };
        if (synchronousResize) {
            String exit = worker.get();
            return exit.equals("OK") ? Answer.ok(null) : Answer.fail(500, exit);
        }
        return Answer.ok(failableTask("resize", vm.vmid, worker));
    }

    private Answer start(Vm vm) {
        if (vm.lock != null) {
            return Answer.fail(500, "VM is locked (" + vm.lock + ")");
        }
        if ("running".equals(vm.status)) {
            return Answer.fail(500, "VM " + vm.vmid + " already running");
        }
        starts.incrementAndGet();
        return Answer.ok(task("qmstart", vm.vmid, () -> {
            vm.address = lease(vm);
            vm.status = "running";
            vm.agentReadyAt = System.currentTimeMillis() + agentMillis;
            vm.docker = daemon(vm);
        }));
    }

    /** DHCP: the VM's last address unless a running VM holds it, else the lowest free one; a test's lease first. */
    private String lease(Vm vm) {
        if (vm.nextLease != null) {
            String given = vm.nextLease;
            vm.nextLease = null;
            return given;
        }
        Set<String> held = new HashSet<>();
        vms.values().stream().filter(other -> other != vm && "running".equals(other.status))
                .forEach(other -> held.add(other.address));
        String last = vm.address != null ? vm.address : "127.0.1." + (vm.vmid % 250 + 1);
        return held.contains(last) ? IntStream.rangeClosed(1, 250).mapToObj(n -> "127.0.1." + n)
                .filter(address -> !held.contains(address)).findFirst().orElseThrow() : last;
    }

    /** The VM's daemon; none of its own when another VM's daemon holds the address (that one answers there). */
    private HttpServer daemon(Vm vm) {
        try {
            return FakeDockerApi.start(vm.address, dockerPort, vm.engineId);
        } catch (UncheckedIOException addressInUse) {
            return null;
        }
    }

    private Answer stopVm(Vm vm) {
        return Answer.ok(task("qmstop", vm.vmid, () -> halt(vm)));
    }

    private void halt(Vm vm) {
        vm.status = "stopped";
        vm.agentReadyAt = Long.MAX_VALUE;
        if (vm.docker != null) {
            vm.docker.stop(0);
            vm.docker = null;
        }
    }

    private Vm named(String name) {
        return vms.values().stream().filter(vm -> name.equals(vm.name)).findFirst().orElseThrow();
    }

    private Answer agent(Vm vm, Object data) {
        if (!"running".equals(vm.status)) {
            return Answer.fail(500, "VM " + vm.vmid + " is not running");
        }
        if (System.currentTimeMillis() < vm.agentReadyAt) {
            return Answer.fail(500, "QEMU guest agent is not running");
        }
        return Answer.ok(data);
    }

    private Answer destroy(Vm vm) {
        if ("running".equals(vm.status)) {
            return Answer.fail(500, "VM " + vm.vmid + " is running - destroy failed");
        }
        if (vm.lock != null) {
            return Answer.fail(500, "VM is locked (" + vm.lock + ")");
        }
        return Answer.ok(task("qmdestroy", vm.vmid, () -> vms.remove(vm.vmid)));
    }

    private int nextId() {
        int id = 100;
        while (vms.containsKey(id)) {
            id++;
        }
        if (nextIdRaces > 0) {
            nextIdRaces--;
            Vm other = new Vm();
            other.vmid = id;
            other.name = "someone-elses-vm";
            vms.put(id, other);
        }
        return id;
    }

    private String task(String type, int vmid, Runnable effect) {
        return failableTask(type, vmid, () -> {
            effect.run();
            return "OK";
        });
    }

    private String failableTask(String type, int vmid, Supplier<String> worker) {
        String upid = "UPID:" + NODE + ":0000" + Integer.toHexString(tasks.size() + 4096) + ":00A1B2C3:"
                      + Long.toHexString(System.currentTimeMillis() / 1000).toUpperCase() + ":" + type + ":" + vmid
                      + ":root@pam!wip:";
        tasks.put(upid, new Task(System.currentTimeMillis() + taskMillis, worker, new String[1]));
        return upid;
    }

    private void completeTasks() {
        long now = System.currentTimeMillis();
        for (Task task : List.copyOf(tasks.values())) {
            if (task.exit[0] == null && task.doneAt <= now) {
                task.exit[0] = task.worker.get();
            }
        }
    }

    private Map<String, Object> resource(Vm vm) {
        Map<String, Object> resource = new HashMap<>();
        resource.put("id", vm.type + "/" + vm.vmid);
        resource.put("type", vm.type);
        resource.put("vmid", vm.vmid);
        resource.put("node", NODE);
        resource.put("name", vm.name);
        resource.put("status", vm.status);
        resource.put("template", vm.template ? 1 : 0);
        resource.put("tags", vm.tags);
        resource.put("maxmem", (long) vm.memory << 20);
        resource.put("maxcpu", vm.cores);
        resource.put("maxdisk", vm.diskBytes);
        if (vm.lock != null) {
            resource.put("lock", vm.lock);
        }
        return resource;
    }

    private Map<String, Object> current(Vm vm) {
        Map<String, Object> current = new HashMap<>();
        current.put("status", vm.status);
        current.put("qmpstatus", vm.status);
        current.put("name", vm.name);
        current.put("tags", vm.tags);
        current.put("agent", 1);
        if (vm.lock != null) {
            current.put("lock", vm.lock);
        }
        return current;
    }

    private Map<String, Object> config(Vm vm) {
        Map<String, Object> config = new HashMap<>();
        config.put("name", vm.name);
        config.put("memory", Integer.toString(vm.memory));
        config.put("cores", vm.cores);
        config.put("agent", "1");
        config.put("scsi0", "local-lvm:vm-" + vm.vmid + "-disk-0,iothread=1,size=" + formatSize(vm.diskBytes));
        config.put("digest", Integer.toHexString(Objects.hash(vm.memory, vm.cores, vm.tags, vm.diskBytes)));
        if (!vm.tags.isEmpty()) {
            config.put("tags", vm.tags);
        }
        if (vm.lock != null) {
            config.put("lock", vm.lock);
        }
        return config;
    }

    /** As Proxmox prints sizes: the largest unit that divides exactly. */
    private static String formatSize(long bytes) {
        String[] units = {"", "K", "M", "G", "T"};
        int unit = 0;
        long value = bytes;
        while (unit < units.length - 1 && value % 1024 == 0 && value > 0) {
            value /= 1024;
            unit++;
        }
        return value + units[unit];
    }

    private static long bytes(String size) {
        char last = size.charAt(size.length() - 1);
        int shift = switch (last) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        String number = shift == 0 ? size : size.substring(0, size.length() - 1);
        return (long) (Double.parseDouble(number) * (1L << shift));
    }

    private static void checkInteger(Map<String, String> params, String key, int minimum, Map<String, String> errors) {
        if (!params.containsKey(key)) {
            return;
        }
        try {
            if (Integer.parseInt(params.get(key)) < minimum) {
                errors.put(key, "value must have a minimum value of " + minimum);
            }
        } catch (NumberFormatException e) {
            errors.put(key, "type check ('integer') failed - got '" + params.get(key) + "'");
        }
    }

    private List<Map<String, Object>> interfaces(Vm vm) {
        List<Map<String, Object>> nics = new ArrayList<>();
        nics.add(Map.of("name", "lo", "ip-addresses",
                        List.of(Map.of("ip-address", "127.0.0.1", "ip-address-type", "ipv4", "prefix", 8))));
        nics.add(Map.of("name", "docker0", "ip-addresses",
                        List.of(Map.of("ip-address", "172.17.0.1", "ip-address-type", "ipv4", "prefix", 16))));
        nics.add(Map.of("name", "eth0", "ip-addresses",
                        List.of(Map.of("ip-address", "fe80::1", "ip-address-type", "ipv6", "prefix", 64),
                                Map.of("ip-address", vm.address, "ip-address-type", "ipv4", "prefix", 24))));
        return nics;
    }

    private static Map<String, String> params(HttpExchange exchange) throws IOException {
        Map<String, String> params = new HashMap<>();
        String query = exchange.getRequestURI().getRawQuery();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        for (String source : new String[] {query, body}) {
            if (source == null || source.isEmpty()) {
                continue;
            }
            for (String pair : source.split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                           kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return params;
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
