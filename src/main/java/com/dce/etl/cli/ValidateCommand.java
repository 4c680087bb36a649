package com.dce.etl.cli;

import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.apache.camel.main.Main;

import com.dce.etl.DceMain;
import com.dce.etl.config.ConfigurationException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code validate}: the service's own start-up checks (settings, mapping files, routes files and their declarations)
 * without starting it: no route starts, no port is opened, and the schema is tried on an in-memory database instead
 * of the configured one, so it can run beside a running service.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, description = {
        "Checks config/application.properties (with environment and -D overrides), the mapping files and the routes"
                + " files as start-up would, without starting the service. Exit 0: all good; 2: the first mistake,"
                + " in one line."})
public final class ValidateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Properties checkOnly = new Properties();
        checkOnly.setProperty("dce.check-only", "true");
        checkOnly.setProperty("camel.main.autoStartup", "false");
        checkOnly.setProperty("camel.server.enabled", "false");
        checkOnly.setProperty("camel.management.enabled", "false");
        checkOnly.setProperty("dce.routes.reload-enabled", "false");
        checkOnly.setProperty("dce.scheduler.clustered", "false");
        Main main = DceMain.create(checkOnly);
        try {
            main.start();
            out.println("dce-etl validate: settings, mapping files and routes files are fine");
            return 0;
        } catch (Exception e) {
            ConfigurationException mistake = ConfigurationException.in(e).orElseThrow(() -> e);
            err.println("dce-etl validate: " + mistake.getMessage());
            return 2;
        } finally {
            main.stop();
        }
    }
}
