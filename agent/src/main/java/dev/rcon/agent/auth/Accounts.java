package dev.rcon.agent.auth;

import dev.rcon.agent.exec.RunAs;
import dev.rcon.common.auth.KeyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Where {@code user=} names are looked up, once, when the keys are loaded: through getent(1), so
 * that accounts from NSS (LDAP, sssd) resolve as they would for sshd. Only an agent running as
 * root can become another user; any other agent refuses the option outright rather than run
 * commands as itself while the key's line says otherwise.
 */
public final class Accounts {
    private static final long LOOKUP_SECONDS = 5;
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
        if (f.length != 7 || !f[0].equals(name) || !f[2].matches("[0-9]{1,10}") || !f[3].matches("[0-9]{1,10}")) {
            throw new IllegalArgumentException("option 'user=" + name + "': unreadable passwd entry");
        }
        // The groups too, here in the agent's own environment: the drop then needs no name service.
        String groups = lookup(name, "id -G", "id", "-G", "--", name);
        if (!groups.matches("[0-9]{1,10}( [0-9]{1,10})*")) {
            throw new IllegalArgumentException("option 'user=" + name + "': unreadable group list");
        }
        return new RunAs(name, Integer.parseUnsignedInt(f[2]), Integer.parseUnsignedInt(f[3]),
                java.util.Arrays.stream(groups.split(" ")).map(Integer::parseUnsignedInt).toList(),
                f[5].startsWith("/") ? f[5] : "/", f[6]);
    }

    private static String lookup(String name, String what, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(4096);
            if (!p.waitFor(LOOKUP_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalArgumentException("option 'user=" + name + "': " + what + " did not answer in "
                        + LOOKUP_SECONDS + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0 || text.isEmpty() || text.contains("\n")) {
                throw new IllegalArgumentException("option 'user=" + name + "': no such user on this host");
            }
            return text;
        } catch (IOException e) {
            throw new IllegalArgumentException("option 'user=" + name + "': cannot run " + what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("option 'user=" + name + "': interrupted while looking it up");
        }
    }
}
