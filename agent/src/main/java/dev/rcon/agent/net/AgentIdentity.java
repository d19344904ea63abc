package dev.rcon.agent.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** What the agent says about itself in {@code hello}. */
record AgentIdentity(String agent, String host, String user) {

    static AgentIdentity ofThisHost() {
        return new AgentIdentity("rcon-agent/" + version(), hostname(), System.getProperty("user.name", "?"));
    }

    static String version() {
        try (InputStream in = AgentIdentity.class.getResourceAsStream("/rcon-agent.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }

    /** From the kernel rather than DNS, which may be slow or wrong on a host being repaired. */
    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e2) {
                return "localhost";
            }
        }
    }
}
