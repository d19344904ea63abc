package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The widths admission counts by: an IPv4 address and its /24, an IPv6 /64 and its /48. */
@Timeout(10)
class SourceTest {
    @Test
    void anIpv4AddressCountsAsItselfAndItsSlash24() throws Exception {
        assertEquals(new Source("192.0.2.7", "192.0.2.0/24"), Source.of(InetAddress.getByName("192.0.2.7")));
    }

    @Test
    void anIpv6AddressCountsAsItsSlash64AndItsSlash48() throws Exception {
        Source a = Source.of(InetAddress.getByName("2001:db8:1:2:aaaa::1"));
        assertEquals(new Source("2001:db8:1:2::/64", "2001:db8:1::/48"), a);
        assertEquals(a, Source.of(InetAddress.getByName("2001:db8:1:2:ffff:ffff:ffff:ffff")), "one /64 is one peer");
        assertEquals(a.network(), Source.of(InetAddress.getByName("2001:db8:1:ff00::1")).network());
    }

    @Test
    void anIpv4MappedIpv6AddressCountsAsTheIpv4Address() throws Exception {
        assertEquals(new Source("192.0.2.7", "192.0.2.0/24"), Source.of(InetAddress.getByName("::ffff:192.0.2.7")));
    }
}
