package cx.wip.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The three files of a docker context — {@code ca.pem}, {@code cert.pem}, {@code key.pem} — as JSON or as a tar
 * archive that {@code tar -x} unpacks beside the {@code docker context create} line (no JSON tool needed).
 */
record CertificateBundle(String caPem, String certificatePem, String keyPem) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BLOCK = 512;

    /** A fresh EC P-256 key pair, as wipctl makes for operators. */
    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
    }

    static String privateKeyPem(KeyPair keys) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    byte[] json() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("ca", caPem);
        files.put("cert", certificatePem);
        files.put("key", keyPem);
        try {
            return JSON.writeValueAsBytes(files);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A POSIX ustar archive; the key is mode 600, like the bundle wipctl writes. */
    byte[] tar() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entry(out, "ca.pem", 0644, caPem);
        entry(out, "cert.pem", 0644, certificatePem);
        entry(out, "key.pem", 0600, keyPem);
        out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    private static void entry(ByteArrayOutputStream out, String name, int mode, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        byte[] header = new byte[BLOCK];
        put(header, 0, name);
        put(header, 100, octal(mode, 7));
        put(header, 108, octal(0, 7));
        put(header, 116, octal(0, 7));
        put(header, 124, octal(data.length, 11));
        put(header, 136, octal(System.currentTimeMillis() / 1000, 11));
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, octal(sum, 6));
        header[154] = 0;
        out.writeBytes(header);
        out.writeBytes(data);
        out.writeBytes(new byte[(BLOCK - data.length % BLOCK) % BLOCK]);
    }

    private static String octal(long value, int digits) {
        return String.format("%0" + digits + "o", value);
    }

    private static void put(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
