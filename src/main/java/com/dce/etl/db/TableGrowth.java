package com.dce.etl.db;

/** What a writer tells of the rows it wrote to a table, so a dialect can keep the database's statistics in step. */
@FunctionalInterface
public interface TableGrowth {
    /** For databases whose planner needs nothing from the writers (H2 counts its rows itself). */
    TableGrowth NONE = rows -> {
    };

    /** {@code rows} were written (inserted or merged) and committed. */
    void written(long rows);
}
