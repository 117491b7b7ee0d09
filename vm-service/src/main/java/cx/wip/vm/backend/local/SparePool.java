package cx.wip.vm.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import cx.wip.vm.spi.BackendException;
import cx.wip.vm.spi.SpareEngines;
import cx.wip.vm.spi.TenantSpec;

/**
 * This host's spare engines (the warm pool). A spare is booted like any engine, under a name no tenant id can take
 * ({@code _p} and 8 hex digits), and marked ready by a file in {@code <state-dir>/.pool/ready}. A tenant without an
 * engine claims one by renaming that marker into {@code .pool/claimed} — rename is atomic, so of two vm-service
 * processes on this host exactly one wins — and then recording the engine as its own in
 * {@code <state-dir>/.engines/<tenant>}, which {@link TenantPaths#of(LocalConfig, String)} reads. From then on the
 * engine is the tenant's for good (its paths keep the spare's name); a spare never held anyone's data.
 */
final class SparePool implements SpareEngines, AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(SparePool.class.getName());
    private static final Pattern NAME = Pattern.compile("_p[0-9a-f]{8}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration RETRY = Duration.ofSeconds(10);
    /** A spare's directory older than this that is neither ready nor anyone's was left by a crash mid-boot. */
    private static final Duration ABANDONED = Duration.ofMinutes(10);

    /** What the pool needs of the backend. */
    interface Engines {
        /** Boots the engine and returns once it answers; throws {@link BackendException}. */
        void boot(TenantSpec spec, TenantPaths engine);

        /** Whether the engine's dockerd runs and answers. */
        boolean alive(TenantPaths engine);

        /** Removes every trace of the engine. */
        void delete(TenantPaths engine);
    }

    private final LocalConfig config;
    private final Engines engines;
    private final Path ready;
    private final Path claimed;
    private final Path owners;
    private final Object lock = new Object();
    private int size;
    private TenantSpec template;
    private int booting;
    private Thread refiller;
    private volatile boolean closed;

    SparePool(LocalConfig config, Engines engines) {
        this.config = config;
        this.engines = engines;
        this.ready = config.stateDir().resolve(".pool").resolve("ready");
        this.claimed = config.stateDir().resolve(".pool").resolve("claimed");
        this.owners = config.stateDir().resolve(".engines");
    }

    /** The spare engine the tenant was handed, if it was. */
    static Optional<String> engineOf(LocalConfig config, String tenantId) {
        Path file = config.stateDir().resolve(".engines").resolve(tenantId);
        try {
            String name = Files.readString(file).strip();
            return NAME.matcher(name).matches() ? Optional.of(name) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BackendException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether a name is a spare's (those are never tenants by themselves). */
    static boolean isSpare(String name) {
        return NAME.matcher(name).matches();
    }

    @Override
    public void keep(int size, TenantSpec template) {
        synchronized (lock) {
            this.size = Math.max(0, size);
            this.template = template;
            if (refiller == null && size > 0) {
                tidy();
                refiller = Thread.ofVirtual().name("spare-engines").start(this::refill);
            }
            lock.notifyAll();
        }
    }

    @Override
    public int ready() {
        return list(ready).size();
    }

    /**
     * Hands a ready spare to the tenant, if one fits its spec (the same disk size: a running engine's disk is not
     * resized). The caller holds the tenant's boot lease and has checked that the tenant has no engine.
     */
    Optional<TenantPaths> claim(String tenantId, TenantSpec spec) {
        TenantSpec made;
        synchronized (lock) {
            made = template;
        }
        if (made == null || made.diskBytes() != spec.diskBytes()) {
            return Optional.empty();
        }
        try {
            for (String name : list(ready)) {
                try {
                    Files.createDirectories(claimed);
                    Files.move(ready.resolve(name), claimed.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                } catch (NoSuchFileException taken) {
                    continue;
                }
                TenantPaths engine = TenantPaths.of(config, tenantId, name);
                if (!engines.alive(engine)) {
                    LOGGER.warning(() -> "spare engine " + name + " no longer answers: removed");
                    engines.delete(engine);
                    Files.deleteIfExists(claimed.resolve(name));
                    continue;
                }
                Files.createDirectories(owners);
                Path partial = owners.resolve("." + tenantId + ".partial");
                Files.writeString(partial, name);
                Files.move(partial, owners.resolve(tenantId), StandardCopyOption.ATOMIC_MOVE);
                Files.deleteIfExists(claimed.resolve(name));
                LOGGER.info(() -> "handed spare engine " + name + " to " + tenantId);
                return Optional.of(engine);
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new BackendException("cannot hand a spare engine to " + tenantId + ": " + e.getMessage(), e);
        } finally {
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    /** Forgets which spare the tenant was handed (after its engine was deleted). */
    void forget(String tenantId) {
        try {
            Files.deleteIfExists(owners.resolve(tenantId));
        } catch (IOException e) {
            throw new BackendException("cannot remove " + owners.resolve(tenantId) + ": " + e.getMessage(), e);
        }
    }

    /** The tenants that were handed a spare. */
    List<String> owners() {
        return list(owners).stream().filter(name -> !name.startsWith(".")).toList();
    }

    @Override
    public void discard() {
        close();
        deleteUnowned();
    }

    /** Removes every spare nobody was handed, ready or not (after {@link #close()}). */
    private void deleteUnowned() {
        List<String> owned = owners().stream().map(tenant -> engineOf(config, tenant).orElse("")).toList();
        for (String name : list(config.stateDir())) {
            if (isSpare(name) && !owned.contains(name)) {
                engines.delete(TenantPaths.of(config, name, name));
            }
        }
        for (Path markers : List.of(ready, claimed)) {
            list(markers).forEach(name -> deleteQuietly(markers.resolve(name)));
        }
    }

    /** Stops refilling; a spare being booted is finished first (at most a minute), so nothing is left half-made. */
    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        Thread running = refiller;
        if (running != null) {
            try {
                if (!running.join(Duration.ofMinutes(1))) {
                    running.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void refill() {
        while (!closed && !Thread.currentThread().isInterrupted()) {
            TenantSpec spec;
            synchronized (lock) {
                try {
                    while (!closed && ready() + booting >= size) {
                        lock.wait(Duration.ofSeconds(30).toMillis());
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (closed) {
                    return;
                }
                booting++;
                spec = template;
            }
            String name = "_p" + HexFormat.of().formatHex(RANDOM.generateSeed(4));
            TenantPaths engine = TenantPaths.of(config, name, name);
            try {
                long started = System.nanoTime();
                engines.boot(new TenantSpec(name, spec.plan(), spec.memoryBytes(), spec.cpus(), spec.diskBytes()),
                             engine);
                Files.createDirectories(ready);
                Files.createFile(ready.resolve(name));
                LOGGER.info(() -> "spare engine " + name + " ready in " + (System.nanoTime() - started) / 1_000_000
                                  + " ms");
            } catch (RuntimeException | IOException e) {
                LOGGER.log(Level.WARNING, "cannot boot a spare engine; retrying in " + RETRY.toSeconds() + " s", e);
                try {
                    engines.delete(engine);
                } catch (RuntimeException again) {
                    LOGGER.log(Level.WARNING, "cannot remove the spare engine " + name, again);
                }
                sleep(RETRY);
            } finally {
                synchronized (lock) {
                    booting--;
                }
            }
        }
    }

    /** Once, before the first refill: spares that died, claims a crash interrupted, spares abandoned mid-boot. */
    private void tidy() {
        List<String> owned = owners().stream().map(tenant -> engineOf(config, tenant).orElse("")).toList();
        for (String name : list(claimed)) {
            if (!owned.contains(name)) {
                engines.delete(TenantPaths.of(config, name, name));
            }
            deleteQuietly(claimed.resolve(name));
        }
        for (String name : list(ready)) {
            if (!engines.alive(TenantPaths.of(config, name, name))) {
                engines.delete(TenantPaths.of(config, name, name));
                deleteQuietly(ready.resolve(name));
            }
        }
        List<String> readyNow = list(ready);
        for (String name : list(config.stateDir())) {
            Path dir = config.stateDir().resolve(name);
            if (isSpare(name) && !readyNow.contains(name) && !owned.contains(name) && olderThan(dir, ABANDONED)) {
                LOGGER.info(() -> "removing spare engine " + name + ", abandoned mid-boot");
                engines.delete(TenantPaths.of(config, name, name));
            }
        }
    }

    private static boolean olderThan(Path dir, Duration age) {
        try {
            return Files.getLastModifiedTime(dir).toMillis() < System.currentTimeMillis() - age.toMillis();
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new BackendException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOGGER.warning(() -> "cannot remove " + file + ": " + e.getMessage());
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
