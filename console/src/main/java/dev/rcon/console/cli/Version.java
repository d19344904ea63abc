package dev.rcon.console.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code rcon --version}. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        try (InputStream in = Version.class.getResourceAsStream("/rcon-console.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return new String[] {"rcon " + p.getProperty("version", "dev")};
        }
    }
}
