package dev.candlebox.server;

import dev.candlebox.server.backtest.BacktestCommand;
import dev.candlebox.server.ingest.ImportCommand;
import dev.candlebox.server.stats.CompareCommand;
import dev.candlebox.server.sweep.OptimizeCommand;
import dev.candlebox.server.sweep.WalkForwardCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code serve}, {@code import}, {@code backtest}, {@code optimize}, {@code compare}. */
@Command(name = "candlebox", mixinStandardHelpOptions = true, version = "candlebox 0.1.0",
        description = "Kline store, Python strategy sandbox and backtest server.",
        subcommands = {CommandLine.HelpCommand.class, ServeCommand.class, ImportCommand.class, BacktestCommand.class,
                OptimizeCommand.class, WalkForwardCommand.class, CompareCommand.class})
public final class Cli {
    static int run(String[] args) {
        return new CommandLine(new Cli()).execute(args);
    }
}
