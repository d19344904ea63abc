package dev.rcon.agent.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Files that are not regular files (FIFOs, device nodes, sockets), made for real. */
public final class SpecialFiles {
    private SpecialFiles() {
    }

    public static Path fifo(Path path) throws IOException, InterruptedException {
        tool("mkfifo", path.toString());
        return path;
    }

    /** A character device node; skips the calling test unless it runs as root. */
    public static Path charDevice(Path path, int major, int minor) throws IOException, InterruptedException {
        Assumptions.assumeTrue(new UnixSystem().getUid() == 0, "skipped: mknod(1) of a device needs root");
        tool("mknod", path.toString(), "c", Integer.toString(major), Integer.toString(minor));
        return path;
    }

    /** A listening Unix socket at {@code path}; the caller closes it. */
    public static ServerSocketChannel socket(Path path) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        return server;
    }

    /** Type, permissions, inode and device numbers of {@code path} itself, to show it was left alone. */
    public static Map<String, Object> identity(Path path) throws IOException {
        return Files.readAttributes(path, "unix:mode,ino,dev,rdev,uid,size", LinkOption.NOFOLLOW_LINKS);
    }

    private static void tool(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
    }
}
