package cx.wip.auth;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * The admin API's credential: one line of text in a file only its owner reads. Made with 256 random bits on first
 * start when missing, so a fresh install is never open; an operator (or a compose secret) may provide it instead.
 * The path is logged, the token never.
 */
final class AdminTokenFile {
    private static final Logger LOGGER = Logger.getLogger(AdminTokenFile.class.getName());
    /** Shorter than this is no secret: refuse to start rather than guard the admin API with it. */
    private static final int MIN_LENGTH = 16;

    private AdminTokenFile() {
    }

    /** The token in {@code file}, created first when the file does not exist. */
    static String readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            final String token = Files.readString(file).strip();
            if (token.length() < MIN_LENGTH || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new IllegalStateException("admin token file " + file.toAbsolutePath() + " must hold one line of "
                        + "at least " + MIN_LENGTH + " printable characters without spaces");
            }
            return token;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read admin token file " + file.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
    }

    private static void create(Path file) throws IOException {
        final byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            // created with mode 0600 at once: there is no moment when others could read it
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException raced) {
            return; // another replica sharing the volume made it first: use theirs
        }
        Files.writeString(file, "wip-admin-" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n");
        LOGGER.info("created the admin token file " + file.toAbsolutePath() + " (wipctl reads it: --admin-token-file "
                + "or WIP_ADMIN_TOKEN_FILE)");
    }
}
