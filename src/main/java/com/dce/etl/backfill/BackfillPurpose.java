package com.dce.etl.backfill;

import java.sql.SQLException;
import java.util.function.BooleanSupplier;

import com.dce.etl.poll.PageRead;
import com.dce.etl.sink.PageCheckpoint;

/**
 * What a backfill's read does beside loading its pages: each page commits the backfill's position and counts with its
 * rows, a cancel stops it before the next page, and its end is recorded on the backfill. The live watermark is never
 * touched. Rows are written with the backfill's channel: {@code backfill}, or {@code settle} for a settle re-read.
 * When the service stops in the middle, the backfill is handed back (still running, its lease given up) and the next
 * start goes on from its position.
 */
final class BackfillPurpose implements PageRead.Purpose {
    private final Backfill backfill;
    private final BackfillStore store;
    private final String owner;
    private final BooleanSupplier serviceStopping;
    private final Runnable onEnd;
    private volatile boolean lastPageRead;

    BackfillPurpose(Backfill backfill, BackfillStore store, String owner, BooleanSupplier serviceStopping,
            Runnable onEnd) {
        this.backfill = backfill;
        this.store = store;
        this.owner = owner;
        this.serviceStopping = serviceStopping;
        this.onEnd = onEnd;
    }

    @Override
    public String channel() {
        return backfill.purpose().equals("settle") ? "settle" : "backfill";
    }

    @Override
    public PageCheckpoint afterPage(PageRead read, PageRead.PageSummary page) {
        // after the last page: "" says every page is committed, so a walk resumed after a crash is already done
        lastPageRead |= page.next() == null;
        String position = page.next() == null ? BackfillStore.ALL_PAGES
                : read.stream().pages().position(page.next()).orElse(null);
        // rows: those the backfill inserted or changed, so a settle re-read counts the calls that had changed
        return (connection, stored, changed) -> store.checkpoint(connection, backfill.id(), owner, position,
                page.records(), changed.count(), page.rejected(), page.total());
    }

    @Override
    public boolean stopped() {
        return serviceStopping.getAsBoolean() || cancelled();
    }

    private boolean cancelled() {
        try {
            return store.cancelRequested(backfill.id());
        } catch (SQLException e) {
            return false; // the page's own commit will meet the same database trouble and fail the read
        }
    }

    @Override
    public void finished(PageRead read) throws SQLException {
        try {
            if (lastPageRead || read.pages() == 0 && !serviceStopping.getAsBoolean()) {
                store.finish(backfill.id(), owner, Backfill.DONE, null);
            } else if (cancelled()) {
                store.finish(backfill.id(), owner, Backfill.CANCELLED, null);
            } else {
                store.release(backfill.id(), owner);
            }
        } finally {
            onEnd.run();
        }
    }

    @Override
    public void failed(PageRead read, Exception failure) {
        try {
            if (serviceStopping.getAsBoolean()) {
                store.release(backfill.id(), owner);
            } else {
                store.finish(backfill.id(), owner, Backfill.FAILED, String.valueOf(failure.getMessage()));
            }
        } catch (SQLException e) {
            // the lease runs out and another claim retries it from its position
        } finally {
            onEnd.run();
        }
    }
}
