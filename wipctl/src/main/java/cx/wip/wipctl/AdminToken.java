package cx.wip.wipctl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The admin token auth-service wrote (its {@code auth.admin.token-file}); every admin call carries it. Read only when
 * a command talks to auth-service, so {@code --help} works without it.
 */
final class AdminToken {
    /** Same default as auth-service's {@code auth.admin.token-file}, relative to the working directory. */
    static final String DEFAULT_FILE = ".wip/admin/admin.token";

    private AdminToken() {
    }

    /** Thrown when there is no token to send; the message says where to find one. */
    static final class Missing extends RuntimeException {
        Missing(String message) {
            super(message);
        }
    }

    static String read(Path file) {
        try {
            String token = Files.readString(file).strip();
            if (token.isEmpty()) {
                throw new Missing("the admin token file " + file.toAbsolutePath() + " is empty");
            }
            return token;
        } catch (NoSuchFileException e) {
            throw new Missing("no admin token at " + file.toAbsolutePath() + ": auth-service writes it on first start "
                    + "(its auth.admin.token-file); point --admin-token-file or WIP_ADMIN_TOKEN_FILE at that file");
        } catch (IOException e) {
            throw new Missing("cannot read the admin token file " + file.toAbsolutePath() + ": " + e.getMessage()
                    + " (it is readable only by the user auth-service runs as: run wipctl as that user)");
        }
    }
}
