package dev.rcon.agent.channel;

import dev.rcon.common.flow.ReceiveWindow;
import dev.rcon.common.flow.SendWindow;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.MessageType;
import dev.rcon.common.msg.Window;
import dev.rcon.common.wire.BadRequestException;
import dev.rcon.common.wire.ProtocolException;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The plumbing every kind of channel shares: both windows of RCON1.md section 4.1, sending, and
 * the end. {@code window} records are handled here; the kinds see only their own records.
 */
public abstract class ChannelBase implements Channel {
    protected final Link link;
    private final SendWindow sendWindow = new SendWindow();
    private final ReceiveWindow receiveWindow;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicBoolean endedOnce = new AtomicBoolean();
    /** Orders a window grant against the end: one sent before the end goes out first, none after. */
    private final Object endLock = new Object();

    protected ChannelBase(Link link) {
        this.link = link;
        this.receiveWindow = new ReceiveWindow(link.id());
    }

    public final int id() {
        return link.id();
    }

    @Override
    public final void receive(Message message) throws ProtocolException {
        if (message.type() == MessageType.WINDOW) {
            sendWindow.grant(link.id(), ((Window) message).bytes());
        } else {
            onMessage(message);
        }
    }

    /**
     * Starts {@code body} on the channel's own thread. A host at its process or thread limit (the
     * unit's TasksMax, filled by a command's fork bomb, say) makes the JVM throw OutOfMemoryError
     * here, which the unit's ExitOnOutOfMemoryError does not cover: the channel then ends at once,
     * answered busy, so that nothing it holds leaks and its session goes on.
     */
    protected final void startOwnThread(Runnable body) {
        try {
            link.threads().start(link.name(), body);
        } catch (OutOfMemoryError e) {
            noThread(RequestException.noThread());
        }
    }

    /**
     * Runs {@code body} on a thread called {@code name} when {@code ownThread} (it may block), else
     * here; at the host's thread limit here too, since it must run: late rather than never.
     */
    protected final void run(boolean ownThread, String name, Runnable body) {
        if (ownThread) {
            try {
                link.threads().start(name, body);
                return;
            } catch (OutOfMemoryError e) {
                // Here, then.
            }
        }
        body.run();
    }

    /** The channel got no thread of its own: it ends with {@code refusal}; kinds record it first. */
    protected void noThread(RequestException refusal) {
        endedWith(new ErrorReply(link.id(), refusal.code(), refusal.getMessage()));
    }

    /** The console's mistake of sending this channel a record of a kind it takes no part in. */
    protected final BadRequestException cannotTake(String kind, Message message) {
        return new BadRequestException(link.id(), "id " + link.id() + " is " + kind + ", which takes no "
                + message.type().wireName());
    }

    /** A record for this channel other than {@code window}; on the reader thread, never blocking. */
    protected abstract void onMessage(Message message) throws ProtocolException;

    /** Counts payload the console sent against its window; an overrun ends the session. */
    protected final void arrived(int bytes) throws ProtocolException {
        receiveWindow.received(bytes);
    }

    /** Payload that arrived was consumed (written, or dropped): give the console credit back. */
    protected final void consumed(int bytes) {
        int grant = receiveWindow.consumed(bytes);
        if (grant > 0) {
            // Never after the channel's final record: the console may have reused the id by then.
            synchronized (endLock) {
                if (!endedOnce.get()) {
                    sendQuietly(new Window(link.id(), grant));
                }
            }
        }
    }

    /**
     * Waits for credit to send up to {@code wanted} payload bytes.
     *
     * @return the bytes that may be sent now, or -1 once the channel has ended
     */
    private int credit(int wanted) throws InterruptedException {
        return sendWindow.acquire(wanted);
    }

    /**
     * Sends the first {@code n} bytes of {@code buf}, each piece as the window allows, as the
     * payload of {@code carrier} (a message of its type with an empty payload). False once the
     * channel ended or the console can no longer hear it; then sending stops for good (waiters
     * for credit give up), and the caller only drains its source.
     */
    protected final boolean sendWithinWindow(byte[] buf, int n, Message.WithPayload carrier)
            throws InterruptedException {
        for (int off = 0; off < n; ) {
            int allowed = credit(n - off);
            if (allowed < 0) {
                return false;
            }
            try {
                link.out().send(carrier, buf, off, allowed);
            } catch (IOException | RuntimeException e) {
                stopSending();
                return false;
            }
            off += allowed;
        }
        return true;
    }

    protected final void send(Message message) throws IOException {
        link.out().send(message);
    }

    /** Sends when the console can still hear it; a lost connection ends the session anyway. */
    protected final boolean sendQuietly(Message message) {
        try {
            link.out().send(message);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Ends the channel with its final record ({@code exit}, {@code done}, {@code key_list} or
     * {@code error}): the session forgets the id first, so a console may reuse it as soon as it
     * hears the end (RCON1.md 4), but whoever awaits the end ({@link #awaitEnd}: the session's
     * close, the agent's shutdown, which then send {@code close}) waits until that record went
     * out, so it never follows the close. Waiters for credit give up. Once only.
     */
    protected final void endedWith(Message last) {
        synchronized (endLock) {
            if (!endedOnce.compareAndSet(false, true)) {
                return;
            }
        }
        sendWindow.close();
        link.onEnd().run();
        try {
            if (last != null) {
                sendQuietly(last);
            }
        } finally {
            ended.countDown();
        }
    }

    /** Stops waiting for credit without ending: the console is gone, drain what is left. */
    protected final void stopSending() {
        sendWindow.close();
    }

    @Override
    public final void consoleGone() {
        stopSending();
    }

    @Override
    public final boolean hasEnded() {
        return ended.getCount() == 0;
    }

    @Override
    public final boolean awaitEnd(long deadlineNanos) throws InterruptedException {
        return ended.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
