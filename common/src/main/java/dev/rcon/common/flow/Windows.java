package dev.rcon.common.flow;

/** The sizes RCON1.md section 4.1 fixes, and how this implementation batches its grants. */
public final class Windows {
    /** W0: every window starts here when its channel opens. */
    public static final int INITIAL = 4 * 1024 * 1024;
    /** No window may grow past this. */
    public static final long MAX = Integer.MAX_VALUE;
    /**
     * Consumed bytes are given back once this many have gathered: a quarter of W0, so that a
     * sender keeps at least three quarters of its window while a grant is on its way. At 256 KiB
     * the grants of a 1 GiB stream woke the sender's reader about 3200 times, and cost the agent
     * a tenth of its CPU (bench/README.md).
     */
    public static final int GRANT_BATCH = 1024 * 1024;

    private Windows() {
    }
}
