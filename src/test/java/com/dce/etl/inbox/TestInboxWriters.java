package com.dce.etl.inbox;

import java.time.Duration;

import com.dce.etl.db.SqlDialect;
import com.zaxxer.hikari.HikariDataSource;

/** Inbox writers on a test database, with its dialect and a 5 s wait for each commit. */
final class TestInboxWriters {
    private TestInboxWriters() {
    }

    static InboxWriter on(HikariDataSource dataSource, InboxHandoff handoff) {
        return new InboxWriter(dataSource, SqlDialect.forUrl(dataSource.getJdbcUrl()), Duration.ofSeconds(5), handoff);
    }
}
