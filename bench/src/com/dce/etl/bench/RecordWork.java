package com.dce.etl.bench;

import com.dce.etl.mapping.MappedCall;
import com.dce.etl.mapping.ProviderJson;

/**
 * The CPU a record costs outside the database, on one thread of the benchmark's JVM: the fake API writing its JSON
 * (the provider's side, on the same 2 cores here), and the service parsing, mapping and digesting it. With the
 * ceiling's database time per row, this bounds what a bulk load can reach on this machine: two cores can do at most
 * 2 / (generate + map + database) rows per second, whatever the pipeline's threads do.
 */
final class RecordWork {
    private static final int WARM_UP = 30_000;

    private RecordWork() {
    }

    /** {generate, map}: records per second of one thread for each. */
    static double[] measure(long records) throws Exception {
        MappedRows rows = new MappedRows();
        long count = Math.min(records, 100_000);
        run(rows, WARM_UP);
        return run(rows, count);
    }

    private static double[] run(MappedRows rows, long count) throws Exception {
        String[] texts = new String[(int) count];
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            texts[i] = GeneratedCalls.json(i);
        }
        long generated = System.nanoTime();
        int digests = 0;
        for (String text : texts) {
            MappedCall call = rows.map(ProviderJson.read(text), text);
            digests += call.digest().length();
        }
        long mapped = System.nanoTime();
        if (digests != count * 32) {
            throw new IllegalStateException("a digest is missing");
        }
        return new double[] {count / ((generated - started) / 1e9), count / ((mapped - generated) / 1e9)};
    }
}
