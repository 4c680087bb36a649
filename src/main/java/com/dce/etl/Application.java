package com.dce.etl;

import java.util.Properties;

/** {@code java -jar target/dce-etl.jar}: runs the service until it is stopped (SIGTERM or Ctrl-C). */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(DceMain.create(new Properties()).run(args));
    }
}
