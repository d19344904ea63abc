package dev.rcon.agent.files;

import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** File modes as the protocol writes them ({@code "0644"}) and as the JDK holds them. */
final class Modes {
    private Modes() {
    }

    /** {@code "0640"} to {@code "rw-r-----"}. */
    static String toPermissions(String mode) {
        int bits = Integer.parseInt(mode, 8) & 0777;
        StringBuilder sb = new StringBuilder(9);
        for (int shift = 6; shift >= 0; shift -= 3) {
            int b = bits >> shift;
            sb.append((b & 4) != 0 ? 'r' : '-').append((b & 2) != 0 ? 'w' : '-').append((b & 1) != 0 ? 'x' : '-');
        }
        return sb.toString();
    }

    /** The permissions of a file as {@code "0644"}. */
    static String of(Set<PosixFilePermission> perms) {
        int bits = 0;
        for (PosixFilePermission p : perms) {
            bits |= 1 << (8 - p.ordinal());
        }
        return String.format("0%03o", bits);
    }
}
