package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class HostListTest {
    @TempDir
    Path dir;

    private List<String> expand(String include, String exclude) throws Exception {
        return new HostList(Inventory.none(dir.resolve("hosts"))).resolve(include, exclude);
    }

    /** -x names hosts, as pdsh's and clush's do: a name leaves the host out on every port the list reaches it. */
    @Test
    void excludingAHostByNameLeavesItOutOnEveryPort() throws Exception {
        assertEquals(List.of("web01:15022", "web03:15022"), expand("web[01-03]:15022", "web02"));
        assertEquals(List.of("web01:15022", "web03:15022"), expand("web[01-03]:15022", "WEB02"));
    }

    @Test
    void excludingAHostWithAPortLeavesOutThatPortAlone() throws Exception {
        assertEquals(List.of("web01:15022", "web01:15023"), expand("web01:[15022-15024]", "web01:15024"));
        assertEquals(List.of("web02"), expand("web01,web02", "web01:5022"));
    }

    @Test
    void oneHostWrittenSeveralWaysRunsOnce() throws Exception {
        assertEquals(List.of("web01", "db1:5023"), expand("web01,WEB01,web01:5022,db1:5023", null));
    }

    private String error(String include) {
        return assertThrows(IllegalArgumentException.class, () -> expand(include, null)).getMessage();
    }

    @Test
    void rangesKeepZeroPaddingAndOrder() throws Exception {
        assertEquals(List.of("web01", "web02", "web03"), expand("web[01-03]", null));
        assertEquals(List.of("web8", "web9", "web10"), expand("web[8-10]", null));
        assertEquals(List.of("10.0.0.1", "10.0.0.2"), expand("10.0.0.[1-2]", null));
        assertEquals(List.of("db1", "db2", "db3", "db7"), expand("db[1-3,7]", null));
    }

    @Test
    void severalRangesMultiplyAndPortsFollow() throws Exception {
        assertEquals(List.of("r1n01:5023", "r1n02:5023", "r2n01:5023", "r2n02:5023"), expand("r[1-2]n[01-02]:5023", null));
    }

    @Test
    void listsDropDuplicatesAndExclusionsApply() throws Exception {
        assertEquals(List.of("a", "web01", "web03", "b"), expand("a,web[01-03],a,b", "web02"));
        assertEquals(List.of("web01", "web05"), expand("web[01-05]", "web[02-04]"));
    }

    @Test
    void hostsCanComeFromAFile() throws Exception {
        Path file = dir.resolve("list");
        Files.writeString(file, "# ops\nweb1\n\nweb[2-3]\n");
        assertEquals(List.of("web1", "web2", "web3", "x"), expand("^" + file + ",x", null));
        assertEquals("^" + dir.resolve("none") + ": no such file", error("^" + dir.resolve("none")));
    }

    @Test
    void mistakesAreNamed() {
        assertEquals("range 05-01 in 'web[05-01]' runs backwards", error("web[05-01]"));
        assertEquals("unclosed '[' in 'web[01-'", error("web[01-"));
        assertEquals("'[a-b]' in 'web[a-b]' is not a list of numbers and ranges like [01-20,25]", error("web[a-b]"));
        assertEquals("empty host name in 'a,,b'", error("a,,b"));
        assertEquals("unmatched ']' in 'web]'", error("web]"));
        assertEquals("'n[1-1000]x[1-1000]' expands to more than 100000 hosts", error("n[1-1000]x[1-1000]"));
        assertEquals("unknown group '@web' (no groups in " + dir.resolve("hosts") + ")", error("@web"));
    }

    /** A host's name becomes a file name (--outdir, get -H): '../escaped' wrote outside the directory. */
    @Test
    void whatIsNoHostsNameIsRefusedWithTheWholeList() {
        String rule = " is not a host name: letters, digits, '.', '-' and '_', not starting with '.' or '-'";
        assertEquals("host '../escaped' in '../escaped'" + rule, error("../escaped"));
        assertEquals("host 'a/b' in 'a/b'" + rule, error("web01,a/b"));
        assertEquals("host '$(id)' in '$(id)'" + rule, error("$(id)"));
        assertEquals("host '-oProxy' in '-oProxy:22'" + rule, error("-oProxy:22"));
        assertEquals("host '.hidden' in '.hidden'" + rule, error(".hidden"));
    }

    /** Target takes a bare IPv6 address as a host (no port); the name check must not refuse it. */
    @Test
    void ipv6AddressesAreStillHosts() throws Exception {
        assertEquals(List.of("2001:db8::1", "2001:db8::2"), expand("2001:db8::1,2001:db8::2", null));
        assertEquals(List.of("64:ff9b::192.0.2.1"), expand("64:ff9b::192.0.2.1", null));
    }

    @Test
    void groupsExpandThroughTheInventoryIncludingOtherGroups() throws Exception {
        Path file = dir.resolve("inv");
        Files.writeString(file, "# fleet\nweb: web[1-2]\ndb: db1\nall: @web, @db, lb\n");
        HostList list = new HostList(Inventory.load(file, true));
        assertEquals(List.of("web1", "web2", "db1", "lb"), list.resolve("@all", null));
        assertEquals(List.of("web1", "db1", "lb"), list.resolve("@all", "web2"));
    }

    @Test
    void inventoryErrorsNameFileLineAndProblem() throws Exception {
        Path file = dir.resolve("inv");
        Files.writeString(file, "a: @b\nb: @a\nbad line\n");
        assertEquals(file + ":3: expected 'NAME: HOSTS' or 'host NAME address=ADDR label=LABEL' but got 'bad line'",
                assertThrows(IllegalArgumentException.class, () -> Inventory.load(file, true)).getMessage());
        Files.writeString(file, "a: @b\nb: @a\n");
        Inventory cyclic = Inventory.load(file, true);
        assertEquals(file + ":1: group 'a' includes itself (a -> b -> a)",
                assertThrows(IllegalArgumentException.class, () -> cyclic.group("a")).getMessage());
        Files.writeString(file, "a: x\na: y\n");
        assertEquals(file + ":2: group 'a' is already defined on line 1",
                assertThrows(IllegalArgumentException.class, () -> Inventory.load(file, true)).getMessage());
        Files.writeString(file, "host web1 address=127.0.0.1:15022\n");
        assertEquals(file + ":1: host 'web1' has address='127.0.0.1:15022', which must be a name or an address"
                + " without a port (the port comes from the host list, as in web1:5023)",
                assertThrows(IllegalArgumentException.class, () -> Inventory.load(file, true)).getMessage());
        Files.writeString(file, "a: web[3-1]\nb: @nope\n");
        Inventory broken = Inventory.load(file, true);
        assertEquals(file + ":1: range 3-1 in 'web[3-1]' runs backwards",
                assertThrows(IllegalArgumentException.class, () -> broken.group("a")).getMessage());
        assertEquals(file + ":2: unknown group '@nope' in " + file,
                assertThrows(IllegalArgumentException.class, () -> broken.group("b")).getMessage());
    }

    @Test
    void inventoryErrorsAreLocatedEvenWhenTheMessageStartsWithTheInventorysPath() throws Exception {
        Path file = dir.resolve("inv");
        Path hosts = dir.resolve("inv-web");
        Files.writeString(hosts, "web1\nweb[3-1]\n");
        Files.writeString(file, "a: ^" + hosts + "\nb: x,,y\n");
        Inventory inventory = Inventory.load(file, true);
        assertEquals(file + ":1: " + hosts + ":2: range 3-1 in 'web[3-1]' runs backwards",
                assertThrows(IllegalArgumentException.class, () -> inventory.group("a")).getMessage());
        assertEquals(file + ":2: empty host name in 'x,,y'",
                assertThrows(IllegalArgumentException.class, () -> inventory.group("b")).getMessage());
    }

    /** 20000 nested groups ended the console with a StackOverflowError and 1024 lines of trace. */
    @Test
    void groupsNestedTooDeepAreRefusedInOneLine() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append('g').append(i).append(": @g").append(i + 1).append('\n');
        }
        Path file = Files.writeString(dir.resolve("inv"), text.append("g20000: x\n"));
        Inventory deep = Inventory.load(file, true);
        assertEquals(file + ":101: groups nest more than 100 deep (from @g0)",
                assertThrows(IllegalArgumentException.class, () -> deep.group("g0")).getMessage());
    }

    /** Each of 40 groups names the next twice: that was 2^40 expansions, a console that never returned. */
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aGroupNamedManyTimesIsExpandedOnce() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            text.append('g').append(i).append(": a").append(i).append(",@g").append(i + 1).append(",@g").append(i + 1)
                    .append('\n');
        }
        Path file = Files.writeString(dir.resolve("inv"), text.append("g40: x\n"));
        assertEquals(41, new HostList(Inventory.load(file, true)).resolve("@g0", null).size());
    }

    /** Checked as a group grows, not once it is whole: a chain of large groups filled the heap first. */
    @Test
    void aGroupOfTooManyHostsIsRefusedAsItGrows() throws Exception {
        Path file = Files.writeString(dir.resolve("inv"), "a: x[1-60000],@b\nb: y[1-60000],@c\nc: z\n");
        Inventory big = Inventory.load(file, true);
        assertEquals(file + ":1: group 'a' expands to more than 100000 hosts",
                assertThrows(IllegalArgumentException.class, () -> big.group("a")).getMessage());
    }
}
