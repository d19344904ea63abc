package dev.rcon.common.msg;

import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** File modes as put and file records write them ({@code "0644"}) and as the JDK holds them. */
public final class FileModes {
    private FileModes() {
    }

    /** {@code "0640"} to {@code "rw-r-----"}. */
    public static String toPermissions(String mode) {
        int bits = Integer.parseInt(mode, 8) & 0777;
        StringBuilder sb = new StringBuilder(9);
        for (int shift = 6; shift >= 0; shift -= 3) {
            int b = bits >> shift;
            sb.append((b & 4) != 0 ? 'r' : '-').append((b & 2) != 0 ? 'w' : '-').append((b & 1) != 0 ? 'x' : '-');
        }
        return sb.toString();
    }

    /** The permissions of a file as {@code "0644"}. */
    public static String of(Set<PosixFilePermission> perms) {
        int bits = 0;
        for (PosixFilePermission p : perms) {
            bits |= 1 << (8 - p.ordinal());
        }
        return String.format("0%03o", bits);
    }
}
