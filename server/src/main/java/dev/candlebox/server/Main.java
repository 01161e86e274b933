package dev.candlebox.server;

/** Entry point of candlebox.jar; subcommands are wired in {@link Cli}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(Cli.run(args));
    }
}
