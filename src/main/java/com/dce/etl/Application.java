package com.dce.etl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;

import com.dce.etl.cli.BackfillCommand;
import com.dce.etl.cli.MapCommand;
import com.dce.etl.cli.ValidateCommand;
import com.dce.etl.config.ConfigurationException;
import com.dce.etl.config.EarlySetting;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar target/dce-etl.jar}: without a command, runs the service until it is stopped (SIGTERM or Ctrl-C);
 * its commands work beside a service ({@code backfill}).
 */
@Command(name = "dce-etl", mixinStandardHelpOptions = true, versionProvider = Application.Version.class,
        subcommands = {ValidateCommand.class, MapCommand.class, BackfillCommand.class}, description = {
                "Loads calls from the call-tracking providers into the DCE schema: webhooks, scheduled polls,"
                        + " backfills, reconciliation.",
                "Without a command: runs the service until stopped, with config/application.properties from the"
                        + " working directory. Exit 0: stopped; 1: failed while running; 2: configuration error."})
public final class Application implements Callable<Integer> {
    private static final int BAD_CONFIGURATION = 2;
    private static final String LOG_FORMAT = "dce.log.format";
    private static final String LOG_LEVEL = "dce.log.level";

    public static void main(String[] args) {
        if (args.length > 0 && !args[0].startsWith("-") && System.getProperty(LOG_LEVEL) == null) {
            // a command's output is its answer (a JSON row, a verdict, a progress bar): the service's INFO lines
            // would be in the way, warnings still show
            System.setProperty(LOG_LEVEL, "WARN");
        }
        CommandLine command = new CommandLine(new Application())
                .setExecutionExceptionHandler((failure, line, parsed) -> {
                    ConfigurationException mistake = ConfigurationException.in(failure).orElseThrow(() -> failure);
                    line.getErr().println("dce-etl cannot start: " + mistake.getMessage());
                    line.getErr().flush();
                    // what had started is stopped by now; halt skips Camel's shutdown hook, which would log a
                    // "shutdown triggered by SIGTERM" that no one sent
                    Runtime.getRuntime().halt(BAD_CONFIGURATION);
                    return BAD_CONFIGURATION;
                });
        System.exit(command.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(EarlySetting.CONFIG)) {
            throw new ConfigurationException(EarlySetting.CONFIG + ": not found in " + Path.of("").toAbsolutePath() + "; start"
                    + " dce-etl from the directory that holds config/ and routes/");
        }
        useLogFormat();
        return DceMain.create(new Properties()).run(new String[0]);
    }

    /**
     * {@code dce.log.format} ({@code text} or {@code json}) from the command line, the environment or the config
     * file, made a system property before the first log line, when Logback reads its configuration.
     */
    private static void useLogFormat() throws IOException {
        String format = EarlySetting.find(LOG_FORMAT).orElse("text");
        if (!format.equals("text") && !format.equals("json")) {
            throw new ConfigurationException(LOG_FORMAT + ": '" + format + "' is not text or json");
        }
        System.setProperty(LOG_FORMAT, format);
    }

    /** The version the jar's manifest names. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Application.class.getPackage().getImplementationVersion();
            return new String[] {"dce-etl " + (version == null ? "(not built as a jar)" : version)};
        }
    }
}
