package cx.wip.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A /16 for a test's own bridge that no route on this host uses yet. A random pick alone collided with bridges left
 * by earlier runs: the host then routed the test's engine addresses to the old bridge, and every dial timed out.
 */
public final class Subnets {
    private Subnets() {
    }

    /** {@code 10.N.0.0/16}, N in 150..249, not routed here now. */
    public static String free() {
        String routes = routes();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 500; attempt++) {
            int n = 150 + random.nextInt(100);
            if (!routes.contains("10." + n + ".")) {
                return "10." + n + ".0.0/16";
            }
        }
        throw new IllegalStateException("every 10.150-249.0.0/16 is routed on this host: remove stale bridges");
    }

    private static String routes() {
        try {
            Process ip = new ProcessBuilder("ip", "-o", "-4", "route", "show", "table", "all").start();
            String out = new String(ip.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            ip.waitFor();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the host's routes: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
