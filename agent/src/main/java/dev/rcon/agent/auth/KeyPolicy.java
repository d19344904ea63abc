package dev.rcon.agent.auth;

import dev.rcon.agent.exec.RunAs;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Message;
import java.util.Map;
import java.util.Optional;

/**
 * What one authenticated key may open, from the options before its line. The session asks it at
 * the one place where channels open; a refusal is answered with {@code error denied} naming the
 * option, and the session goes on. ({@code from=} and {@code expires=} are checked earlier, at
 * the handshake, where a key they withhold is denied exactly like a wrong key.)
 *
 * @param key the key that logged in
 * @param options the options written before its line
 * @param runAs the account its commands run as ({@code user=})
 */
public record KeyPolicy(Key key, KeyOptions options, RunAs runAs) {
    /** Where a forced command finds what was asked, as ssh's SSH_ORIGINAL_COMMAND. */
    public static final String ORIGINAL_COMMAND = "RCON_ORIGINAL_COMMAND";

    public KeyPolicy(Key key) {
        this(key, KeyOptions.NONE, RunAs.AGENT);
    }

    /** Why {@code request} ({@code exec}, {@code put}, {@code get}, {@code keys}) is refused for this key, or empty. */
    public Optional<String> denial(Message request) {
        switch (request.type()) {
            case EXEC -> {
                if (options.noPty() && ((Exec) request).pty() != null) {
                    return Optional.of("no-pty: this key may not open a terminal");
                }
            }
            case PUT, GET -> {
                if (options.noFiles()) {
                    return Optional.of("no-files: this key may not " + request.type().wireName() + " files");
                }
                if (options.command() != null) {
                    // As sshd's forced command covers scp and sftp: files move as root.
                    return Optional.of("command=: a key with a forced command may not " + request.type().wireName()
                            + " files");
                }
                if (options.user() != null) {
                    // The agent writes and reads files as root; a user= key would get root's reach.
                    return Optional.of("user=" + options.user() + ": files move as root, so a key that runs as "
                            + options.user() + " may not " + request.type().wireName() + " them");
                }
            }
            case KEYS -> {
                if (!options.manageKeys()) {
                    return Optional.of("no-keys: this key may not manage keys (its line needs manage-keys)");
                }
            }
            default -> { }
        }
        return Optional.empty();
    }

    /**
     * The command to run for {@code request}: the key's forced command, if it has one, with what
     * was asked for in {@code RCON_ORIGINAL_COMMAND} (as ssh's SSH_ORIGINAL_COMMAND). Nothing
     * else of the request's reaches it, as sshd passes a forced command no variable of the
     * client's by default: LD_PRELOAD, PATH, BASH_ENV or a bash function would let the key run
     * something else, and a directory of the holder's choosing would change what a relative path
     * in it means.
     */
    public Exec apply(Exec request) {
        if (options.command() == null) {
            return request;
        }
        String original = request.command() != null ? request.command() : shellQuoted(request);
        Exec forced = new Exec(request.id(), options.command(), null, null, null, request.timeoutMs(),
                request.stdin(), request.pty());
        return forced.withEnv(Map.of(ORIGINAL_COMMAND, original));
    }

    private static String shellQuoted(Exec request) {
        StringBuilder sb = new StringBuilder();
        for (String word : request.argv()) {
            sb.append(sb.length() == 0 ? "" : " ").append('\'').append(word.replace("'", "'\\''")).append('\'');
        }
        return sb.toString();
    }
}
