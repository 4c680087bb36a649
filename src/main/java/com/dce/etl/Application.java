package com.dce.etl;

import java.util.Properties;

import com.dce.etl.config.ConfigurationException;

/** {@code java -jar target/dce-etl.jar}: runs the service until it is stopped (SIGTERM or Ctrl-C). */
public final class Application {
    private static final int BAD_CONFIGURATION = 2;

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        try {
            System.exit(DceMain.create(new Properties()).run(args));
        } catch (Exception e) {
            ConfigurationException mistake = configurationMistake(e);
            if (mistake == null) {
                throw e;
            }
            System.err.println("dce-etl cannot start: " + mistake.getMessage());
            System.exit(BAD_CONFIGURATION);
        }
    }

    private static ConfigurationException configurationMistake(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException mistake) {
                return mistake;
            }
        }
        return null;
    }
}
