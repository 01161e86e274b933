-- Backtest runs: the request, the status, the timestamps, the summary result, metrics, error and logs.
-- Trades and the equity curve are kept apart, compactly, in candlebox_run_data (one row per kind), so
-- listing runs never reads them. owner: the server instance that accepted the run and runs it.
CREATE TABLE candlebox_run (
    id           VARCHAR(40) PRIMARY KEY,
    seq          BIGINT NOT NULL,
    client       VARCHAR(100) NOT NULL,
    owner        VARCHAR(100) NOT NULL,
    status       VARCHAR(16) NOT NULL,
    progress     DOUBLE PRECISION NOT NULL,
    symbol       VARCHAR(40) NOT NULL,
    interval_code VARCHAR(8) NOT NULL,
    request      TEXT NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE,
    finished_at  TIMESTAMP WITH TIME ZONE,
    result       TEXT,
    metrics      TEXT,
    error        TEXT,
    logs         TEXT
);
CREATE UNIQUE INDEX candlebox_run_seq ON candlebox_run (seq);
CREATE INDEX candlebox_run_owner_status ON candlebox_run (owner, status);

CREATE TABLE candlebox_run_data (
    run_id VARCHAR(40) NOT NULL REFERENCES candlebox_run (id) ON DELETE CASCADE,
    kind   VARCHAR(16) NOT NULL,
    data   BYTEA NOT NULL,
    PRIMARY KEY (run_id, kind)
);
