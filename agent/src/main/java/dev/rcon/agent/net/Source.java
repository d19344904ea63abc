package dev.rcon.agent.net;

import java.net.InetAddress;

/**
 * Where a connection comes from, at the two widths admission counts by: the address (for IPv6
 * its /64, which one subscriber gets whole) and its network (an IPv4 /24, an IPv6 /48), so that
 * an attacker gains nothing from the many addresses of one network.
 *
 * @param address {@code 192.0.2.7} or {@code 2001:db8:1:2::/64}
 * @param network {@code 192.0.2.0/24} or {@code 2001:db8:1::/48}
 */
record Source(String address, String network) {

    static Source of(InetAddress peer) {
        byte[] b = peer.getAddress();
        if (b.length == 4) {
            String net = (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF);
            return new Source(net + "." + (b[3] & 0xFF), net + ".0/24");
        }
        return new Source(groups(b, 4) + "::/64", groups(b, 3) + "::/48");
    }

    private static String groups(byte[] b, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ":").append(Integer.toHexString((b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF)));
        }
        return sb.toString();
    }
}
