package dev.rcon.agent.files;

import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.files.FileErrors;
import dev.rcon.common.files.InDirectory;
import dev.rcon.common.msg.FileModes;
import dev.rcon.common.wire.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * A regular file opened for a {@code get}, with its mode and the size it really has.
 *
 * <p>Only regular files are opened: a FIFO would block the open (or the reads) forever, a device
 * like /dev/zero never ends, a directory or socket cannot be read. The file is looked at and
 * opened by name in its opened parent directory, without following a link at that last step,
 * and looked at again after the open: the two looks must agree.
 *
 * <p>Pseudo files (/proc, /sys) announce a size of 0 or 4096 whatever they hold, so a file that
 * says it is small is read whole into memory, up to {@link #MAX_READ_WHOLE}, and its size is what
 * was read. A larger one is streamed, and must end exactly at its size: one that grows or
 * shrinks meanwhile fails rather than arrive different from what was announced.
 *
 * <p>Open it on the thread of its own transfer: a regular file swapped for a FIFO between the
 * look and the open blocks {@code open(2)} until someone opens the FIFO for writing.
 */
public final class SourceFile implements AutoCloseable {
    /** Files that say they are smaller than this are read whole at open. */
    static final int READ_WHOLE_BELOW = 64 * 1024;
    /** The most a file that said it was small may hold. */
    public static final int MAX_READ_WHOLE = 16 << 20;
    /**
     * The most all files being read whole may hold at once beyond their first
     * {@link #READ_WHOLE_BELOW} bytes, across the agent. A get keeps what it
     * read until the console has taken it, so without this a console that withholds its window
     * (or a few that run gets of /proc/kallsyms at once) held 16 MiB per channel, and the agent's
     * heap (256 MiB under the unit, which exits on OutOfMemoryError) ran out for every session.
     */
    public static final int WHOLE_BUDGET = 2 * MAX_READ_WHOLE;

    private final String mode;
    private final long size;
    private final SeekableByteChannel channel;
    private final List<byte[]> content;
    /** The agent's {@link #WHOLE_BUDGET}, of which this file holds {@link #held} bytes. */
    private final Semaphore budget;
    private int held;
    private int chunk;
    private int inChunk;
    private long offset;

    private SourceFile(String mode, long size, SeekableByteChannel channel, List<byte[]> content, Semaphore budget,
                       int held) {
        this.mode = mode;
        this.size = size;
        this.channel = channel;
        this.content = content;
        this.budget = budget;
        this.held = held;
    }

    /**
     * Opens {@code path} (absolute; links on the way are followed) for reading.
     *
     * @param budget the agent's {@link #WHOLE_BUDGET} for files read whole, shared by its gets
     * @throws RequestException not_found, bad_request (not a regular file), busy (no budget left) or io
     */
    public static SourceFile open(String path, Semaphore budget) throws RequestException {
        try {
            Path real = TransferChannel.pathOf(path).toRealPath();
            Path parent = real.getParent();
            if (parent == null) {
                throw notRegular(path, real, "a directory");
            }
            try (SecureDirectoryStream<Path> dir = InDirectory.open(parent)) {
                return open(path, real, dir, budget);
            }
        } catch (RequestException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new RequestException(ErrorCode.NOT_FOUND, "no such file: " + path);
        } catch (AccessDeniedException e) {
            throw new RequestException(ErrorCode.IO, "permission denied: " + path);
        } catch (IOException e) {
            throw new RequestException(ErrorCode.IO, "cannot read " + path + ": " + FileErrors.reason(e));
        }
    }

    private static SourceFile open(String path, Path real, SecureDirectoryStream<Path> dir, Semaphore budget)
            throws IOException {
        Path name = real.getFileName();
        PosixFileAttributes before = InDirectory.lstat(dir, name);
        if (before == null) {
            throw new NoSuchFileException(path);
        }
        if (!before.isRegularFile()) {
            throw notRegular(path, real, InDirectory.kind(before, real));
        }
        SeekableByteChannel channel = dir.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        try {
            PosixFileAttributes after = InDirectory.lstat(dir, name);
            if (after == null || !after.isRegularFile() || !before.fileKey().equals(after.fileKey())) {
                throw new RequestException(ErrorCode.IO, path + " was replaced while it was being opened");
            }
            String mode = FileModes.of(before.permissions());
            if (before.size() >= READ_WHOLE_BELOW) {
                return new SourceFile(mode, before.size(), channel, null, budget, 0);
            }
            try (channel) {
                return readWhole(path, mode, before.size(), channel, budget);
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Reads the file whole, in the chunks it gave. What it holds beyond its first
     * {@link #READ_WHOLE_BELOW} bytes is counted against {@link #WHOLE_BUDGET}, so that the files
     * nearly all gets are about (small ones, most of /proc) never wait for the budget. A read
     * that passes that size reserves the most it may grow to at once, and gives back what it did
     * not need at its end: charged chunk by chunk, many gets of /proc/kallsyms at once each took a
     * part of the budget, it ran out before any had finished, and every one of them was busy.
     */
    private static SourceFile readWhole(String path, String mode, long announced, SeekableByteChannel channel,
                                        Semaphore budget) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        int total = 0;
        int reserved = 0;
        // Whole chunks: some pseudo files (pagemap) refuse reads of odd sizes.
        ByteBuffer buf = ByteBuffer.allocate(READ_WHOLE_BELOW);
        try {
            int n;
            while ((n = channel.read(buf.clear())) >= 0) {
                if (total + n > MAX_READ_WHOLE) {
                    throw new RequestException(ErrorCode.IO, path + " holds more than " + (MAX_READ_WHOLE >> 20)
                            + " MiB though its size says " + announced + " bytes; a file like that (/proc, /sys)"
                            + " is read whole, up to " + (MAX_READ_WHOLE >> 20) + " MiB");
                }
                if (total + n > READ_WHOLE_BELOW && reserved == 0) {
                    if (!budget.tryAcquire(MAX_READ_WHOLE - READ_WHOLE_BELOW)) {
                        throw new RequestException(ErrorCode.BUSY, path + " is read whole (its size, " + announced
                                + " bytes, says nothing of what it holds), and files read so already hold the "
                                + (WHOLE_BUDGET >> 20) + " MiB the agent keeps for them; try again when other gets"
                                + " have finished");
                    }
                    reserved = MAX_READ_WHOLE - READ_WHOLE_BELOW;
                }
                total += n;
                chunks.add(Arrays.copyOf(buf.array(), n));
            }
        } catch (IOException | RuntimeException e) {
            budget.release(reserved);
            throw e;
        }
        int held = Math.max(0, total - READ_WHOLE_BELOW);
        budget.release(reserved - held);
        return new SourceFile(mode, total, null, chunks, budget, held);
    }

    private static RequestException notRegular(String path, Path real, String kind) {
        String shown = real.toString().equals(path) ? path : path + " (" + real + ")";
        return new RequestException(ErrorCode.BAD_REQUEST, shown + " is " + kind + ", not a regular file");
    }

    /** The size to announce: exactly the bytes {@link #read} will return. */
    public long size() {
        return size;
    }

    /** The file's permissions, like "0644". */
    public String mode() {
        return mode;
    }

    /**
     * Reads the next bytes into {@code buf}; -1 once all {@link #size} bytes were returned.
     *
     * @throws IOException when the file ends before its size or holds more than it
     */
    public int read(byte[] buf) throws IOException {
        int want = (int) Math.min(buf.length, size - offset);
        if (content != null) {
            if (want == 0) {
                return -1;
            }
            int n = 0;
            while (n < want) {
                byte[] c = content.get(chunk);
                int k = Math.min(want - n, c.length - inChunk);
                System.arraycopy(c, inChunk, buf, n, k);
                n += k;
                inChunk += k;
                if (inChunk == c.length) {
                    chunk++;
                    inChunk = 0;
                }
            }
            offset += n;
            return n;
        }
        if (want == 0) {
            if (channel.read(ByteBuffer.allocate(1)) > 0) {
                throw new IOException("the file grew while it was being sent (beyond its " + size + " bytes)");
            }
            return -1;
        }
        int n = channel.read(ByteBuffer.wrap(buf, 0, want));
        if (n < 0) {
            throw new IOException("the file shrank while it was being sent (" + offset + " of " + size + " bytes)");
        }
        offset += n;
        return n;
    }

    /** Closes the file, or gives back what reading it whole took of {@link #WHOLE_BUDGET}. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (held > 0) {
            budget.release(held);
            held = 0;
        }
        if (channel != null) {
            channel.close();
        }
    }
}
