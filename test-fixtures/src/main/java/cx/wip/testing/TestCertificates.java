package cx.wip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A throwaway CA, a server certificate for localhost/127.0.0.1 and a client bundle, made with the real openssl:
 * {@code dir/ca.pem}, {@code dir/server.pem}, {@code dir/server-key.pem}, and {@code dir/client/{ca,cert,key}.pem}
 * (the layout DOCKER_CERT_PATH expects).
 */
public record TestCertificates(Path dir) {

    public static TestCertificates create(Path dir, String clientName) {
        try {
            Files.createDirectories(dir.resolve("client"));
            openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2", "-subj", "/CN=wip-test-ca");
            Files.writeString(dir.resolve("server.ext"),
                    "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
            Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
            issue(dir, "server", "/CN=localhost", "server.ext");
            issue(dir, "client/client", "/CN=" + clientName, "client.ext");
            Files.move(dir.resolve("client/client.pem"), dir.resolve("client/cert.pem"));
            Files.move(dir.resolve("client/client-key.pem"), dir.resolve("client/key.pem"));
            Files.copy(dir.resolve("ca.pem"), dir.resolve("client/ca.pem"));
            return new TestCertificates(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path ca() {
        return dir.resolve("ca.pem");
    }

    public Path serverCertificate() {
        return dir.resolve("server.pem");
    }

    public Path serverKey() {
        return dir.resolve("server-key.pem");
    }

    /** ca.pem, cert.pem, key.pem of the client. */
    public Path clientBundle() {
        return dir.resolve("client");
    }

    /**
     * The client bundle as a {@code daemon-tls} config section reads it ({@code ca}, {@code cert}, {@code key}), with
     * {@code more} keys (e.g. {@code server-name}).
     */
    public Map<String, String> clientTls(Map<String, String> more) {
        Path client = clientBundle();
        Map<String, String> values = new HashMap<>(Map.of(
                "ca", client.resolve("ca.pem").toString(),
                "cert", client.resolve("cert.pem").toString(),
                "key", client.resolve("key.pem").toString()));
        values.putAll(more);
        return values;
    }

    private static void issue(Path dir, String name, String subject, String ext) {
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", name + "-key.pem", "-out", name + ".csr", "-subj", subject);
        openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", ext);
    }

    private static void openssl(Path dir, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        Run.of(command).in(dir).call().expectSuccess();
    }
}
