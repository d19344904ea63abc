package dev.rcon.agent.net;

import dev.rcon.agent.auth.KeyPolicy;
import dev.rcon.agent.channel.Channel;
import dev.rcon.agent.channel.Link;
import dev.rcon.agent.channel.RequestException;
import dev.rcon.agent.exec.ExecChannel;
import dev.rcon.agent.exec.ExecOutcome;
import dev.rcon.agent.files.GetChannel;
import dev.rcon.agent.files.PutChannel;
import dev.rcon.agent.keys.KeysChannel;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Get;
import dev.rcon.common.msg.Keys;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Put;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * How one session makes a channel for a request its {@code open} admitted: the link back to
 * the session, the kind of channel, what the session records of it, and, for a command, its
 * outcome (each command holds one of the agent's slots until then).
 */
final class SessionChannels {
    private final Agent agent;
    private final String sessionId;
    private final KeyPolicy policy;
    private final SessionRecord record;
    private final ChannelRegistry channels;
    private final Link.Outbound out;
    private final Map<String, String> whereFrom;
    private final Consumer<ExecChannel> lingering;

    /**
     * @param whereFrom what every command learns of where it runs from, set over the request's
     *     environment
     * @param lingering told of a command that ended with processes left behind
     */
    SessionChannels(Agent agent, String sessionId, KeyPolicy policy, SessionRecord record, ChannelRegistry channels,
                    Link.Outbound out, Map<String, String> whereFrom, Consumer<ExecChannel> lingering) {
        this.agent = agent;
        this.sessionId = sessionId;
        this.policy = policy;
        this.record = record;
        this.channels = channels;
        this.out = out;
        this.whereFrom = whereFrom;
        this.lingering = lingering;
    }

    /** @param input whether the request holds an input slot, given back when it ends */
    Channel create(Message request, boolean input) {
        int rid = request.requestId();
        String name = request.type().wireName() + "-" + sessionId.substring(0, 8) + "-" + rid;
        Channel[] self = new Channel[1];
        // Given back once: when the channel can take no more input, or at its end.
        Runnable inputDone = agent.limits().inputRelease(input, policy.options().limited());
        Link link = new Link(rid, name, out, agent.tasks(), () -> {
            channels.remove(rid, self[0]);
            inputDone.run();
        }, inputDone);
        switch (request.type()) {
            case EXEC -> {
                Exec exec = (Exec) request;
                self[0] = new ExecChannel(link, policy.apply(exec).withEnv(whereFrom), policy.runAs(),
                        agent.execSettings(), new CommandOutcome(exec, () -> (ExecChannel) self[0]));
            }
            case PUT -> {
                Put put = (Put) request;
                self[0] = new PutChannel(link, put, (done, e) -> record.transferred(rid, "put " + put.path(), done, e));
                record.transferStarted(rid, "put " + put.path());
            }
            case GET -> {
                Get get = (Get) request;
                self[0] = new GetChannel(link, get, agent.limits().wholeReads(),
                        (done, e) -> record.transferred(rid, "get " + get.path(), done, e));
                record.transferStarted(rid, "get " + get.path());
            }
            case KEYS -> {
                Keys keys = (Keys) request;
                self[0] = new KeysChannel(link, keys, agent.keys(), policy.key(), (after, e) -> record.keys(keys, after, e));
            }
            default -> throw new IllegalArgumentException("no channel for " + request.type().wireName());
        }
        return self[0];
    }

    /** What becomes of one command, told by its channel; it holds one of the agent's slots until then. */
    private final class CommandOutcome implements ExecOutcome {
        private final Exec request;
        private final Supplier<ExecChannel> channel;

        CommandOutcome(Exec request, Supplier<ExecChannel> channel) {
            this.request = request;
            this.channel = channel;
        }

        @Override
        public void started() {
            record.commandStarted(request);
        }

        @Override
        public void refused(RequestException e) {
            agent.limits().commandEnded(policy.options().limited());
            record.refused(request.id(), record.describe(request), e);
        }

        @Override
        public void failed(RuntimeException e) {
            agent.limits().commandEnded(policy.options().limited());
            agent.log().error("session " + sessionId + " exec failed: " + e);
        }

        @Override
        public void finished(Exit exit) {
            agent.limits().commandEnded(policy.options().limited());
            record.commandEnded(request, exit);
            ExecChannel command = channel.get();
            if (command.hasLingering()) {
                lingering.accept(command);
            }
        }
    }
}
