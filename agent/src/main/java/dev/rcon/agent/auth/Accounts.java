package dev.rcon.agent.auth;

import dev.rcon.agent.exec.RunAs;
import dev.rcon.common.auth.KeyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where {@code user=} names are looked up, once, when the keys are loaded: through getent(1), so
 * that accounts from NSS (LDAP, sssd) resolve as they would for sshd. Only an agent running as
 * root can become another user; any other agent refuses the option outright rather than run
 * commands as itself while the key's line says otherwise.
 */
public final class Accounts {
    private static final long LOOKUP_SECONDS = 5;
    /** More than the longest group list the kernel allows (65536 groups of ten digits). */
    private static final long MAX_OUTPUT = 1 << 20;
    private final boolean root;

    public Accounts(boolean root) {
        this.root = root;
    }

    /** This process's: root or not, by its effective uid (not root when that cannot be told). */
    public static Accounts system() {
        try {
            return new Accounts(KeyFiles.effectiveUid() == 0);
        } catch (IOException e) {
            return new Accounts(false);
        }
    }

    /**
     * The account of {@code name}.
     *
     * @throws IllegalArgumentException when the agent is not root, or no such user exists
     */
    public RunAs resolve(String name) {
        if (!root) {
            throw new IllegalArgumentException("option 'user=" + name + "' needs an agent running as root,"
                    + " and this one is not (run the default unit, not restricted.conf, for user= keys)");
        }
        String entry = lookup(name, "getent passwd", "getent", "passwd", name);
        String[] f = entry.split(":", -1);
        if (f.length != 7 || !f[0].equals(name)) {
            throw new IllegalArgumentException("option 'user=" + name + "': unreadable passwd entry");
        }
        // The groups too, here in the agent's own environment: the drop then needs no name service.
        int primary = id(name, "the passwd gid", f[3]);
        List<Integer> gids = groups(name, lookup(name, "id -G", "id", "-G", "--", name), primary);
        return new RunAs(name, id(name, "the passwd uid", f[2]), primary, gids, f[5].startsWith("/") ? f[5] : "/", f[6]);
    }

    /** The gids in {@code idOutput} (what {@code id -G} printed), which must list {@code primary}. */
    static List<Integer> groups(String name, String idOutput, int primary) {
        List<Integer> gids = new ArrayList<>();
        for (String gid : idOutput.split(" ", -1)) {
            gids.add(id(name, "a group id in 'id -G'", gid));
        }
        if (!gids.contains(primary)) {
            throw new IllegalArgumentException("option 'user=" + name + "': 'id -G' does not list the passwd gid "
                    + primary);
        }
        return gids;
    }

    /** A uid or gid as the kernel takes one: 0 to 2^31-1 here, since Java's int holds no more. */
    private static int id(String name, String what, String text) {
        if (!text.matches("[0-9]{1,10}") || Long.parseLong(text) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("option 'user=" + name + "': " + what + " '" + text
                    + "' is not an id from 0 to " + Integer.MAX_VALUE);
        }
        return Integer.parseInt(text);
    }

    /**
     * The one line {@code command} prints, within the deadline: its output goes to a file, so
     * that a lookup that hangs (LDAP, sssd) is ended at the deadline rather than read forever, and
     * is read whole (a member of many groups prints more than a pipe holds).
     */
    private static String lookup(String name, String what, String... command) {
        Path out = null;
        try {
            out = Files.createTempFile("rcon-lookup", ".txt");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(LOOKUP_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalArgumentException("option 'user=" + name + "': " + what + " did not answer in "
                        + LOOKUP_SECONDS + " s");
            }
            if (Files.size(out) > MAX_OUTPUT) {
                throw new IllegalArgumentException("option 'user=" + name + "': " + what + " printed more than "
                        + MAX_OUTPUT + " bytes");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || text.isBlank()) {
                throw new IllegalArgumentException("option 'user=" + name + "': no such user on this host");
            }
            if (!text.endsWith("\n") || text.strip().contains("\n")) {
                throw new IllegalArgumentException("option 'user=" + name + "': " + what + " did not print one line");
            }
            return text.strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("option 'user=" + name + "': cannot run " + what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("option 'user=" + name + "': interrupted while looking it up");
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // A temporary file of ours; the system's cleaning takes it.
                }
            }
        }
    }
}
