-- One row naming this database: a random id written the first time Candlebox opens it. The command line
-- compares it with a running server's /health to know whether that server reads the same database (and so
-- can run a backtest for it, warm, with the same result).
CREATE TABLE candlebox_identity (
    kind VARCHAR(32) PRIMARY KEY,
    id   VARCHAR(64) NOT NULL
);
