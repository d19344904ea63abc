package dev.rcon.console.client;

import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.files.StagedFile;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.FileInfo;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Put;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.FrameWriter;
import dev.rcon.common.wire.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** put and get over a session, with the sha256 checked on the receiving side. */
final class Transfers {
    private Transfers() {
    }

    /** A request whose only answer that matters is {@code done}. */
    private static class Awaited implements Pending {
        final int id;
        final CompletableFuture<Done> done = new CompletableFuture<>();
        final FlowControl flow;

        Awaited(int id, FrameWriter writer) {
            this.id = id;
            this.flow = new FlowControl(id, writer);
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public boolean deliver(Message m) throws IOException {
            if (m instanceof Done d) {
                flow.end();
                done.complete(d);
                return true;
            }
            return false;
        }

        @Override
        public void window(long bytes) throws dev.rcon.common.wire.ProtocolException {
            flow.granted(bytes);
        }

        @Override
        public void fail(RemoteException e) {
            flow.end();
            done.completeExceptionally(e);
        }

        Done await() throws IOException, InterruptedException {
            try {
                return done.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
    }

    static Done put(int id, FrameWriter writer, Dispatcher dispatcher, Path local, String remote, String mode)
            throws IOException, InterruptedException {
        Awaited request = new Awaited(id, writer);
        dispatcher.register(request);
        MessageDigest digest = Crypto.newSha256();
        long size = Files.size(local);
        writer.send(new Put(id, remote, size, mode));
        long sent = 0;
        try (InputStream in = Files.newInputStream(local)) {
            byte[] buf = new byte[Limits.CHUNK];
            Data chunk = Data.chunk(id, new byte[0]);
            int n;
            while (sent < size && !request.done.isDone() && (n = in.read(buf, 0, (int) Math.min(buf.length, size - sent))) > 0) {
                digest.update(buf, 0, n);
                int off = 0;
                while (off < n) {
                    int allowed = request.flow.credit(n - off);
                    if (allowed < 0) {
                        break;
                    }
                    writer.send(chunk, buf, off, allowed);
                    off += allowed;
                }
                sent += off;
                if (off < n) {
                    break;
                }
            }
        }
        String sha256 = HexFormat.of().formatHex(digest.digest());
        if (!request.done.isDone()) {
            writer.send(Data.last(id, sha256));
        }
        Done done = request.await();
        if (sent < size) {
            // The request ended while the console still sent (a done while it waited for the
            // window): no agent can have checked the whole file, whatever its done says.
            throw new RemoteException(ErrorCode.IO, "the agent's done came when " + sent + " of the " + size
                    + " bytes were sent");
        }
        return matching(done, size, sha256);
    }

    /**
     * RCON1.md 4: the agent answers a put with the size and sha256 of the file it checked, which
     * are those the console sent; other numbers mean it wrote something else, or lies about it.
     */
    private static Done matching(Done done, long size, String sha256) throws IOException {
        if (done.size() != size || !done.sha256().equals(sha256)) {
            throw new RemoteException(ErrorCode.IO, "the agent's done names " + done.size() + " bytes with sha256 "
                    + done.sha256() + " but " + size + " bytes with sha256 " + sha256 + " were sent");
        }
        return done;
    }

    static Done get(int id, FrameWriter writer, Dispatcher dispatcher, String remote, Path local)
            throws IOException, InterruptedException {
        Receiver receiver = new Receiver(id, writer, local);
        try {
            dispatcher.register(receiver);
            writer.send(new dev.rcon.common.msg.Get(id, remote));
            return receiver.await();
        } finally {
            receiver.discard();
        }
    }

    /**
     * Stages a get's data beside the local target; on done, checks it and commits it. The target
     * is checked before anything is asked of the agent: one that exists and is not a regular file
     * (a link, a FIFO, a device) is refused, never replaced.
     */
    private static final class Receiver extends Awaited {
        private final StagedFile file;
        private FileInfo info;

        Receiver(int id, FrameWriter writer, Path target) throws IOException {
            super(id, writer);
            this.file = StagedFile.create(target);
        }

        @Override
        public boolean deliver(Message m) throws IOException {
            try {
                switch (m.type()) {
                    case FILE -> {
                        // One size for the whole transfer: a second file record would raise it mid-way.
                        if (info != null) {
                            throw new IOException("the agent sent a second file record for get " + m.requestId());
                        }
                        info = (FileInfo) m;
                    }
                    case DATA -> {
                        byte[] chunk = ((Data) m).payload();
                        flow.arrived(chunk.length);
                        write(chunk);
                        flow.consumed(chunk.length);
                    }
                    case DONE -> {
                        finish((Done) m);
                        return true;
                    }
                    case HELLO, EXEC, STARTED, STDOUT, STDERR, EXIT, STDIN, SIGNAL, PUT, GET, WINDOW, PING, PONG, CLOSE,
                         ERROR, KEYS, KEY_LIST -> { }
                }
            } catch (dev.rcon.common.wire.ProtocolException e) {
                throw e;
            } catch (IOException e) {
                fail(new RemoteException(ErrorCode.IO, e.getMessage()));
                return true;
            }
            return false;
        }

        private void write(byte[] chunk) throws IOException {
            if (info == null || file.size() + chunk.length > info.size()) {
                throw new IOException("the agent sent more data than the file's size");
            }
            file.write(chunk);
        }

        private void finish(Done done) throws IOException {
            // RCON1.md 4: done names the size S of the file record; fewer bytes, even with their
            // own sha256, are a truncated file, never the whole one.
            if (info != null && done.size() != info.size()) {
                throw new IOException("the agent's file record said " + info.size() + " bytes but its done says "
                        + done.size());
            }
            if (info == null || file.size() != done.size() || !file.sha256().equals(done.sha256())) {
                throw new IOException("the received file does not match the agent's size and sha256");
            }
            file.commit(withoutWriteForOthers(info.mode()));
            super.deliver(done);
        }

        /**
         * The agent's mode (its word, a compromised host's choice) with write for group and
         * others dropped: a file fetched to the operator's workstation is never one that every
         * local user may rewrite before the operator reads, runs or puts it to the fleet.
         */
        static String withoutWriteForOthers(String mode) {
            return String.format("0%03o", Integer.parseInt(mode, 8) & 0755);
        }

        void discard() {
            file.close();
        }
    }
}
