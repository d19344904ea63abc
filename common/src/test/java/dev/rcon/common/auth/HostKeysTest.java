package dev.rcon.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rcon.common.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RCON1.md 5.1: every byte of the vectors' derived_keys, and the rules that make a label. */
@Timeout(10)
class HostKeysTest {
    private static final JsonNode DERIVED = Vectors.root().path("derived_keys");

    private static Key fleet() {
        return new Key(Vectors.hex("inputs", "kid"), Vectors.unhex(DERIVED.path("fleet_key").asText()), "vector@test");
    }

    @Test
    void everyDerivedKeyOfTheVectorsIsReproducedByteForByte() {
        int hosts = 0;
        for (JsonNode host : DERIVED.path("hosts")) {
            Key key = HostKeys.derive(fleet(), HostLabel.of(host.path("label").asText()));
            String label = host.path("label").asText();
            assertEquals(host.path("kid").asText(), key.kidHex(), label);
            assertEquals(host.path("psk").asText(), Vectors.hex(key.psk()), label);
            assertEquals(host.path("key_line").asText(), KeyLine.format(key), label);
            hosts++;
        }
        assertEquals(5, hosts);
    }

    @Test
    void theFleetKeyIsNeverAHostsKey() {
        Key derived = HostKeys.derive(fleet(), HostLabel.of("web01"));
        assertNotEquals(Vectors.hex(fleet().psk()), Vectors.hex(derived.psk()));
        assertNotEquals(fleet().kidHex(), derived.kidHex());
    }

    @Test
    void labelsAreTheHostAsWrittenLowercasedWithoutTrailingDot() {
        assertEquals("web01", HostLabel.of("WEB01").text());
        assertEquals("db7.example.com", HostLabel.of("DB7.Example.COM.").text());
        assertEquals("réseau-1", HostLabel.of("Réseau-1").text());
        assertEquals("127.0.0.1", HostLabel.of("127.0.0.1").text());
    }

    @Test
    void ipv6LiteralsTakeTheirRfc5952FormWithoutBrackets() {
        assertEquals("::1", HostLabel.of("[0:0:0:0:0:0:0:1]").text());
        assertEquals("::1", HostLabel.of("::1").text());
        assertEquals("2001:db8::1", HostLabel.of("2001:0DB8:0000:0000:0000:0000:0000:0001").text());
        assertEquals("2001:db8:0:1:1:1:1:1", HostLabel.of("2001:db8:0:1:1:1:1:1").text());
        assertEquals("2001:db8::1:0:0:1", HostLabel.of("2001:db8:0:0:1:0:0:1").text());
        assertEquals("fe80::1%eth0", HostLabel.of("fe80::1%ETH0").text());
        // RFC 5952 section 5: an IPv4-mapped address in mixed notation, never the bare IPv4 address.
        assertEquals("::ffff:127.0.0.1", HostLabel.of("::FFFF:7f00:1").text());
        assertEquals("::ffff:10.1.2.3", HostLabel.of("[::ffff:10.1.2.3]").text());
    }

    @Test
    void emptyOrTooLongOrBrokenHostsAreRefusedNamingTheRule() {
        assertEquals("host '.' gives an empty label",
                assertThrows(IllegalArgumentException.class, () -> HostLabel.of(".")).getMessage());
        String long254 = "a".repeat(254);
        assertEquals("a host label must be 1 to 253 bytes of UTF-8 but '" + long254 + "' has 254",
                assertThrows(IllegalArgumentException.class, () -> HostLabel.of(long254)).getMessage());
        assertEquals("host '1:2:3' is not a valid IPv6 address",
                assertThrows(IllegalArgumentException.class, () -> HostLabel.of("1:2:3")).getMessage());
    }
}
