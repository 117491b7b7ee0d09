package cx.wip.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * The secret that token hashes are keyed with: base64 text in a file readable only by its owner, created with
 * 32 random bytes on first start when allowed. Losing it invalidates every issued token.
 */
final class TokenKeyFile {
    private static final Logger LOGGER = Logger.getLogger(TokenKeyFile.class.getName());

    private TokenKeyFile() {
    }

    static byte[] read(Path file, boolean createMissing) {
        try {
            if (!Files.exists(file)) {
                if (!createMissing) {
                    throw new IllegalStateException("token key file " + file.toAbsolutePath()
                                                            + " is missing and auth.ca.create-missing is false");
                }
                final byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                final Path parent = file.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
                LOGGER.info("created token hashing key file " + file.toAbsolutePath());
            }
            return Base64.getDecoder().decode(Files.readString(file).strip());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read token key file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
