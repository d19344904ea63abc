package dev.rcon.agent.net;

import dev.rcon.agent.audit.AuditEvent;
import dev.rcon.agent.audit.AuditLog;
import dev.rcon.agent.auth.AuthorizedKeys;
import dev.rcon.agent.auth.KeyPolicy;
import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.KeyList;
import dev.rcon.common.msg.Keys;
import java.util.List;

/**
 * What one session leaves behind: a line in the agent's log and an event in the audit trail for
 * each request, naming who (key name and kid), from where and in which session; never a secret,
 * never an environment value or file content.
 */
final class SessionRecord {
    private final Log log;
    private final AuditLog audit;
    private final String id;
    private final String peer;
    private final KeyPolicy policy;

    SessionRecord(Log log, AuditLog audit, String id, String peer, KeyPolicy policy) {
        this.log = log;
        this.audit = audit;
        this.id = id;
        this.peer = peer;
        this.policy = policy;
    }

    private AuditEvent event(String event) {
        return audit.event(event).put("session", id).put("key", policy.key().name())
                .put("kid", policy.key().kidHex()).put("peer", peer);
    }

    /** @param asked the request as the console sent it; a key's forced command is what ran */
    void commandStarted(Exec asked) {
        Exec exec = policy.apply(asked);
        AuditEvent started = event("command_started").put("id", exec.id()).put("cwd", exec.cwd())
                .put("pty", exec.pty() != null);
        if (policy.runAs().name() != null) {
            started.put("user", policy.runAs().name());
        }
        if (exec.command() != null) {
            started.put("command", exec.command());
        } else {
            started.put("argv", exec.argv());
        }
        if (exec != asked) {
            // Only what the forced command was told: recorded as the command, it would claim a run that never was.
            started.put("original_command", exec.env().get(KeyPolicy.ORIGINAL_COMMAND));
        }
        audit.append(started);
    }

    void commandEnded(Exec request, Exit exit) {
        audit.append(event("command_ended").put("id", request.id()).put("code", exit.code())
                .put("signal", exit.signal()).put("timed_out", exit.timedOut()).put("duration_ms", exit.durationMs())
                .put("stdout_bytes", exit.stdoutBytes()).put("stderr_bytes", exit.stderrBytes()));
        String how = exit.signal() != null ? "signal " + exit.signal() : "exit " + exit.code();
        log.info("session " + id + " id " + request.id() + " " + describe(request) + ": " + how
                + (exit.timedOut() ? " (timed out)" : "") + " in " + exit.durationMs() + " ms");
    }

    void transferStarted(int rid, String what) {
        log.info("session " + id + " id " + rid + " " + what);
    }

    void transferred(int rid, String what, Done done, RequestException e) {
        AuditEvent event = event(what.startsWith("put") ? "file_put" : "file_got").put("id", rid)
                .put("path", what.substring(4)).put("outcome", done != null ? "done" : e.code().wireName());
        if (done != null) {
            event.put("size", done.size()).put("sha256", done.sha256());
        }
        audit.append(event);
        if (done != null) {
            log.info("session " + id + " id " + rid + " " + what + ": " + done.size() + " bytes, sha256 " + done.sha256());
        } else {
            log.info("session " + id + " id " + rid + " " + what + ": " + e.code().wireName() + ": " + e.getMessage());
        }
    }

    /** A key change, or a failed one; a listing is not an event. */
    void keys(Keys request, List<KeyList.Entry> after, RequestException e) {
        if (Keys.LIST.equals(request.op())) {
            return;
        }
        String subject = Keys.ADD.equals(request.op())
                ? AuthorizedKeys.kidOf(request.line()).orElse("(not a key line)") : request.kid();
        AuditEvent event = event("key_" + (Keys.ADD.equals(request.op()) ? "added" : "removed"))
                .put("id", request.id()).put("subject_kid", subject)
                .put("outcome", e == null ? "done" : e.code().wireName());
        if (e != null) {
            event.put("why", e.getMessage());
        }
        audit.append(event);
        log.info("session " + id + " id " + request.id() + " keys " + request.op() + " " + subject + ": "
                + (e == null ? "done, " + after.size() + " keys in force" : e.code().wireName() + ": " + e.getMessage()));
    }

    void refused(int rid, String what, RequestException e) {
        audit.append(event("request_refused").put("id", rid).put("request", what)
                .put("outcome", e.code().wireName()).put("why", e.getMessage()));
        log.info("session " + id + " id " + rid + " " + what + ": " + e.code().wireName() + ": " + e.getMessage());
    }

    /** What ran for {@code asked}, for the log: a key's forced command names what was asked beside it. */
    String describe(Exec asked) {
        String what = asked.command() != null ? "command '" + asked.command() + "'" : "argv " + asked.argv();
        String forced = policy.options().command();
        return forced == null ? what : "forced command '" + forced + "' (asked " + what + ")";
    }
}
