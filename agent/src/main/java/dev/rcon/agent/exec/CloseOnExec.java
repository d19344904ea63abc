package dev.rcon.agent.exec;

import java.io.FileDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.Socket;
import java.net.SocketImpl;
import java.util.Locale;
import java.util.Set;
import org.jline.nativ.CLibrary;
import org.jline.nativ.JLineNativeLoader;

/**
 * Marks the agent's own descriptors close-on-exec once it holds many, so that starting a command
 * does not list them.
 *
 * <p>Every command starts through the JDK's jspawnhelper, which closes what it inherited by
 * listing {@code /proc/self/fd}: the kernel makes a procfs entry for each open descriptor, and
 * drops them again when the command is reaped. JDK 17 opens sockets and pipes without
 * {@code FD_CLOEXEC} and has no way to set it, so the one agent standing in for 1000 hosts
 * (bench/fleet.sh, 256 sessions at once) spent about a sixth of both cores on those lists. A marked
 * descriptor is closed by the kernel at jspawnhelper's own exec, without a listing.
 *
 * <p>Only what no child is ever handed is marked, and only while the caller alone holds it, so that
 * it cannot be closed and its number reused by another descriptor between lookup and mark: a
 * session's socket as it is accepted, the agent's ends of a command's pipes as they are taken from
 * the JDK, a terminal's master. Never a terminal's slave, which a child takes as its stdin.
 *
 * <p>A descriptor numbered below {@link #FROM} is left alone, and JLine's native library is not
 * loaded for it: the kernel hands out the lowest free number, so only an agent that holds that many
 * descriptors pays for the library (about 0.8 MB resident), and the few an agent with a handful of
 * sessions holds cost its spawns little. Only a command's pipes or a terminal load it, after their
 * session authenticated; a session's socket is marked only once it is loaded, so that connections
 * alone (a stranger's) never make the agent load it. The units extract it into the agent's own
 * cache directory ({@code -Djline.tmpdir}), not a /tmp that local users share.
 *
 * <p>Best effort, and never an exception to the caller: without {@code java.net} opened to the
 * agent (its jar's manifest and the unit open it) a session's socket is not marked; on a machine
 * whose ioctl numbers are not the kernel's generic ones, or where the library does not load (its
 * first load is tried once, at the first descriptor worth marking: a host then at its thread
 * limit, where JLine's loader gets no thread, leaves every descriptor unmarked for the agent's
 * life), nothing is marked and commands start as before.
 */
public final class CloseOnExec {
    /** The lowest descriptor marked. */
    static final int FROM = 64;

    private CloseOnExec() {}

    /**
     * Marks a session's socket just accepted, before anything else holds it, once the library is
     * loaded: only a command or a terminal loads it, so no one's connections before they
     * authenticate make the root agent load a native library. (Asking JLine's loader whether it
     * did starts java.util.logging, for its logger: once, in an agent past 64 descriptors.)
     */
    public static void mark(Socket socket) {
        FileDescriptor fd = Access.descriptor(socket);
        if (fd != null) {
            mark(Access.number(fd), false);
        }
    }

    /** Marks a descriptor that only the caller holds, and that no child is to inherit. */
    static void mark(FileDescriptor fd) {
        mark(Access.number(fd));
    }

    /** Marks descriptor {@code fd} when it is {@link #FROM} or above; see {@link #mark(FileDescriptor)}. */
    static void mark(int fd) {
        mark(fd, true);
    }

    private static void mark(int fd, boolean mayLoad) {
        if (fd < FROM) {
            return;
        }
        try {
            // JLine's own record of its load: a terminal may have loaded the library first.
            if ((mayLoad || JLineNativeLoader.getNativeLibraryPath() != null) && Native.LOADED) {
                // A failure leaves the descriptor as the JDK made it: jspawnhelper closes it as before.
                CLibrary.ioctl(fd, Native.FIOCLEX, new int[1]);
            }
        } catch (RuntimeException | LinkageError e) {
            // Never into the accept loop, a spawn or a terminal's opening: a library of another
            // version without this ioctl (UnsatisfiedLinkError), or Native that failed to
            // initialise (NoClassDefFoundError), leaves the descriptor as the JDK made it.
        }
    }

    /** Reflection into java.io and java.net, resolved at first use; null where not opened. */
    private static final class Access {
        private static final Field NUMBER = ProcessPipes.field(FileDescriptor.class, "fd");
        private static final Field IMPL = ProcessPipes.field(Socket.class, "impl");
        private static final Method DESCRIPTOR = method(SocketImpl.class, "getFileDescriptor");

        static int number(FileDescriptor fd) {
            try {
                return NUMBER == null || fd == null ? -1 : NUMBER.getInt(fd);
            } catch (IllegalAccessException e) {
                return -1;
            }
        }

        static FileDescriptor descriptor(Socket socket) {
            if (IMPL == null || DESCRIPTOR == null) {
                return null;
            }
            try {
                Object impl = IMPL.get(socket);
                return impl == null ? null : (FileDescriptor) DESCRIPTOR.invoke(impl);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        private static Method method(Class<?> owner, String name) {
            try {
                Method m = owner.getDeclaredMethod(name);
                m.setAccessible(true);
                return m;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    }

    /** JLine's native library, loaded at the first descriptor worth marking. */
    private static final class Native {
        /** FIOCLEX in the kernel's generic ioctl numbers; alpha, mips, powerpc and sparc have their own. */
        static final long FIOCLEX = 0x5451;
        private static final Set<String> GENERIC_IOCTLS =
                Set.of("amd64", "x86_64", "x86", "i386", "i686", "aarch64", "arm", "riscv64", "s390x");
        static final boolean LOADED = load();

        private static boolean load() {
            if (!System.getProperty("os.name", "").equals("Linux")
                    || !GENERIC_IOCTLS.contains(System.getProperty("os.arch", "").toLowerCase(Locale.ROOT))) {
                return false;
            }
            try {
                JLineNativeLoader.initialize();
                return true;
            } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
                // OutOfMemoryError: JLine's loader starts a thread, and a host at its process or
                // thread limit has none (which ExitOnOutOfMemoryError does not cover). Uncaught,
                // it escaped the accept loop and the listener's thread died (ThreadLimitTest).
                return false;
            }
        }
    }
}
