package dev.aeon.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `aeon` command line; the `aeon` script at the repository root builds what is missing and runs this. */
@Command(name = "aeon", mixinStandardHelpOptions = true,
        description = "Aeon: a self-hostable durable-execution cloud that speaks Temporal's APIs.",
        subcommands = {DevCommand.class, CertsCommand.class})
public final class AeonCli implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(new CommandLine(new AeonCli()).execute(args));
    }
}
