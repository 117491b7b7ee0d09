package cx.wip.vm.backend.local;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

import cx.wip.vm.spi.BackendException;

/**
 * Moves a tree's owners into a tenant's subordinate range (id n becomes first + n), as a remapped dockerd would have
 * written it: image layers copied from the seed template, or a data root from before remapping. Ids already at or
 * past the range size are left alone, so a shift that was interrupted can simply run again.
 */
final class IdShift {
    private static final int SET_ID_BITS = 06000;

    private IdShift() {
    }

    static void shift(Path root, long first) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                    move(dir, first);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    move(file, first);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new BackendException("cannot shift the owners under " + root + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path path, long first) throws IOException {
        int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int gid = (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        if (uid >= ContainmentConfig.RANGE && gid >= ContainmentConfig.RANGE) {
            return;
        }
        boolean link = Files.isSymbolicLink(path);
        int mode = link ? 0 : (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:uid", (int) shifted(uid, first), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", (int) shifted(gid, first), LinkOption.NOFOLLOW_LINKS);
        if (!link && (mode & SET_ID_BITS) != 0) {
            // chown clears set-uid/set-gid bits (also for root): a set-uid binary in an image must stay one
            Files.setAttribute(path, "unix:mode", mode & 07777, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static long shifted(int id, long first) {
        return id >= 0 && id < ContainmentConfig.RANGE ? first + id : id;
    }
}
