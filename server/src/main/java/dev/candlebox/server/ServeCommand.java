package dev.candlebox.server;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code candlebox serve}: the HTTP server. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the kline API (port 8000 by default; PORT or --port to change).")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", description = "HTTP port (default: $PORT or 8000)")
    Integer port;

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig config = ServerConfig.fromEnv(System.getenv());
        if (port != null) config = config.withPort(port);
        CandleboxServer server = CandleboxServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
