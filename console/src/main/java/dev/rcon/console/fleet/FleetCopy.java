package dev.rcon.console.fleet;

import dev.rcon.common.files.OwnerOnly;
import dev.rcon.common.files.InDirectory;
import dev.rcon.common.msg.Done;
import dev.rcon.console.client.RconClient;
import dev.rcon.console.client.RemoteException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Fleet copies: one file to many hosts ({@code rcon put -H}) or one file from many hosts into a
 * directory per host ({@code rcon get -H}), as {@link FleetRunner.Job}s, so they get the fanout,
 * connect timeout, outputs, summary and exit status of fleet runs. Each host's transfer is the
 * single-host one: staged, checked by sha256, renamed into place. A host whose agent refuses or
 * fails the transfer counts as failed; one that cannot be reached, as unreachable.
 */
public final class FleetCopy {
    private FleetCopy() {
    }

    /** {@code local} to {@code remote} (absolute) with {@code mode} on every host. */
    public static FleetRunner.Job put(Path local, String remote, String mode, FleetOutput output) {
        return (host, client, start) -> transfer(host, client, start, output, "put", () -> client.put(local, remote, mode));
    }

    /** {@code remote} from every host into {@code localDir/HOST/NAME}. */
    public static FleetRunner.Job get(String remote, Path localDir, FleetOutput output) {
        Path name = Path.of(remote).getFileName();
        return (host, client, start) -> transfer(host, client, start, output, "got", () -> {
            Path dir = ownDirectory(localDir.resolve(hostDirectory(host)));
            return client.get(remote, dir.resolve(name));
        });
    }

    /** The directory a host's files go to: its name as written, which never holds a slash. */
    static String hostDirectory(String host) {
        if (host.contains("/") || host.equals(".") || host.equals("..")) {
            throw new IllegalArgumentException("host '" + host + "' cannot name a directory");
        }
        return host;
    }

    /**
     * LOCALDIR for a fleet get, as the real path its hosts' files will go under: nobody else may
     * rename anything on that path, so every directory on it, from {@code /} down, is the user's
     * or root's, and sticky if group or others may write in it (as /tmp is). Otherwise whoever
     * could, might swap a host's directory (or LOCALDIR, or a link to it) for a link between its
     * check and the file's write. A link named as LOCALDIR is taken once, here, for what it
     * points to.
     *
     * @throws IllegalArgumentException naming the directory and why
     */
    public static Path checkLocalDirectory(Path dir) throws IOException {
        Path real = dir.toRealPath();
        for (Path at = real; at != null; at = at.getParent()) {
            int mode = (Integer) Files.getAttribute(at, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int uid = (Integer) Files.getAttribute(at, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            boolean ownersOnly = uid == 0 || Files.getOwner(at, LinkOption.NOFOLLOW_LINKS).equals(InDirectory.currentUser());
            boolean othersWrite = (mode & 0022) != 0 && (mode & 01000) == 0;
            if (!ownersOnly || othersWrite) {
                throw new IllegalArgumentException(at + (ownersOnly ? " may be written by others and is not sticky"
                        : " belongs to " + Files.getOwner(at, LinkOption.NOFOLLOW_LINKS).getName())
                        + ": whoever can rename in it could swap a host's directory for a link; get into a directory"
                        + " of your own");
            }
        }
        return real;
    }

    /**
     * {@code DIR/HOST}, made 0700 if new; one already there must be a directory of the user's own.
     * DIR is often shared (/tmp/fetched): another user who made it first could have left a link
     * there to one of the operator's directories, which the fetched file would then replace a file in.
     */
    private static Path ownDirectory(Path dir) throws IOException {
        try {
            return Files.createDirectory(dir, OwnerOnly.DIRECTORY);
        } catch (FileAlreadyExistsException e) {
            PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isDirectory()) {
                throw new IOException(dir + " is " + (attrs.isSymbolicLink() ? "a symbolic link" : "not a directory")
                        + "; refusing to write through it (remove it, or get into a directory of your own)");
            }
            if (!attrs.owner().equals(InDirectory.currentUser())) {
                throw new IOException(dir + " belongs to " + attrs.owner().getName()
                        + ", not to you; refusing to write in it (remove it, or get into a directory of your own)");
            }
            return dir;
        }
    }

    private interface Transfer {
        Done run() throws IOException, InterruptedException;
    }

    private static HostResult transfer(String host, RconClient client, long start, FleetOutput output, String verb,
                                       Transfer transfer) throws IOException, InterruptedException {
        HostTiming timing;
        try {
            Done done = transfer.run();
            output.stdout(host, (verb + " " + done.size() + " bytes, sha256 " + done.sha256() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            timing = new HostTiming(client.connectTime().toMillis(), client.authTime().toMillis(), -1,
                    FleetRunner.elapsed(start));
            return new HostResult(host, Outcome.OK, null, timing.totalMs(), null, timing);
        } catch (RemoteException e) {
            return new HostResult(host, Outcome.FAILED, null, FleetRunner.elapsed(start), e.getMessage());
        }
    }
}
