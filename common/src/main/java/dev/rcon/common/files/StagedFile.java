package dev.rcon.common.files;

import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.msg.FileModes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;

/**
 * A file being received: written to a temporary file beside its target (mode 0600) and hashed
 * as it comes; {@link #commit} syncs it, sets its mode and renames it over the target, so the
 * target is never seen half-written. Closing an uncommitted file removes it. The caller checks
 * size and hash against what the sender announced before committing.
 */
public final class StagedFile implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final MessageDigest digest = Crypto.newSha256();
    private long written;
    private boolean committed;

    private StagedFile(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
    }

    /** Creates the temporary file beside {@code target}. */
    public static StagedFile create(Path target) throws IOException {
        Path temp = target.toAbsolutePath().getParent()
                .resolve("." + target.getFileName() + ".rcon-" + UUID.randomUUID() + ".tmp");
        FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return new StagedFile(target, temp, channel);
    }

    public void write(byte[] chunk) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(chunk);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        digest.update(chunk);
        written += chunk.length;
    }

    /** Bytes written so far. */
    public long size() {
        return written;
    }

    /** The SHA-256 of everything written, as lowercase hex; call once, when all is written. */
    public String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Syncs, sets {@code mode} (like "0644") and renames the file over its target. */
    public void commit(String mode) throws IOException {
        channel.force(true);
        channel.close();
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(FileModes.toPermissions(mode)));
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        committed = true;
    }

    /** Abandons the file unless it was committed. Idempotent. */
    @Override
    public void close() {
        try {
            channel.close();
            if (!committed) {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            // A temporary file that cannot be removed is all that is left to lose.
        }
    }
}
