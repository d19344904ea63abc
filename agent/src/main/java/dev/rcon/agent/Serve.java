package dev.rcon.agent;

import dev.rcon.agent.auth.AuthorizedKeys;
import dev.rcon.agent.config.AgentConfig;
import dev.rcon.agent.config.Setting;
import dev.rcon.agent.net.Agent;
import dev.rcon.agent.net.Log;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * Serving until TERM or INT, and the exit codes of a run that ends: what {@code rcon-agent}
 * does once its command line is read, and all that the unit's {@link ServiceMain} does. Nothing
 * here names picocli, so that the service never loads it (bench/README.md).
 */
final class Serve {
    static final int EXIT_CONFIG = 2;
    static final int EXIT_RUNTIME = 1;
    /** Logged at start when SIGHUP came ignored (nohup): a reload would otherwise do nothing, silently. */
    static final String RELOAD_IGNORED = "SIGHUP was ignored when the agent started (nohup?), so a reload"
            + " (SIGHUP, systemctl reload) will do nothing: restart the agent to reload its keys";

    private Serve() {
    }

    /** Serves {@code config} until TERM or INT; 0 once stopped. */
    static int serve(AgentConfig config) throws Exception {
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        Log log = new Log(err);
        // One line, never a stack trace, whatever a thread meets: the journal is for operators.
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> log.error("thread " + t.getName() + " failed: " + e));
        AuthorizedKeys keys = AuthorizedKeys.load(config.authorizedKeys());
        Agent agent = new Agent(config, keys, log, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Signals.onTerminate(() -> {
            log.info("stopping on signal");
            agent.close();
            stopped.countDown();
        });
        if (!Signals.onReload(agent::reloadKeys)) {
            log.warn(RELOAD_IGNORED);
        }
        agent.start();
        stopped.await();
        return 0;
    }

    /** {@code value} (null when not given) over {@code config}; a mistake names {@code source}. */
    static <T> AgentConfig override(AgentConfig config, String source, Setting<T> setting, T value) {
        return value == null ? config : config.with(setting, setting.check(source, value));
    }

    /** The one line a run that failed with {@code e} prints: its message, escaped as the log escapes. */
    static String errorLine(Exception e) {
        return "rcon-agent: " + Log.escape(e.getMessage());
    }

    /** 2 for bad configuration (an IllegalArgumentException names the field), 1 for anything else. */
    static int exitCode(Exception e) {
        return e instanceof IllegalArgumentException ? EXIT_CONFIG : EXIT_RUNTIME;
    }
}
