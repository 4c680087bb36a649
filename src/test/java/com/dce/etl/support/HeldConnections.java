package com.dce.etl.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

/**
 * A database that does not answer for a while: every connection asked of {@link #around} waits until {@link #open}, so
 * a test can hold a commit in flight and look at what the service does meanwhile.
 */
public final class HeldConnections {
    private final CountDownLatch open = new CountDownLatch(1);
    private final AtomicBoolean asked = new AtomicBoolean();

    /** {@code real}, whose {@code getConnection} waits until {@link #open}. */
    public DataSource around(DataSource real) {
        return (DataSource) Proxy.newProxyInstance(HeldConnections.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        asked.set(true);
                        open.await();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** True once a connection has been asked for (and is held): for {@code await().untilTrue(...)}. */
    public AtomicBoolean asked() {
        return asked;
    }

    /** Lets every held and later connection through. */
    public void open() {
        open.countDown();
    }
}
