package com.dce.etl.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code dce-etl} in a JVM of its own, on this JVM's class path (the built classes, as
 * {@code java -jar target/dce-etl.jar} has them) and with its temporary directory, so what it leaves is removed
 * with the suite's.
 */
public final class ApplicationCommand {
    private ApplicationCommand() {
    }

    /** {@code java <jvmOptions> -cp ... com.dce.etl.Application <args>}. */
    public static List<String> of(List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "com.dce.etl.Application"));
        command.addAll(args);
        return command;
    }
}
