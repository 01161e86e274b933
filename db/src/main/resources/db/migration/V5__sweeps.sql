-- Parameter sweeps and walk-forward validations (contract section 8). A sweep's trials are ordinary runs in
-- candlebox_run; candlebox_sweep_trial links each to its sweep with its number and parameters. owner: the
-- server instance that drives the sweep (a sweep it finds 'running' when it restarts is ended as failed).
CREATE TABLE candlebox_sweep (
    id          VARCHAR(40) PRIMARY KEY,
    client      VARCHAR(100) NOT NULL,
    owner       VARCHAR(100) NOT NULL,
    kind        VARCHAR(16) NOT NULL,
    status      VARCHAR(16) NOT NULL,
    request     TEXT NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE,
    summary     TEXT,
    error       TEXT
);
CREATE INDEX candlebox_sweep_owner_status ON candlebox_sweep (owner, status);
CREATE INDEX candlebox_sweep_client_status ON candlebox_sweep (client, status);

CREATE TABLE candlebox_sweep_trial (
    sweep_id VARCHAR(40) NOT NULL REFERENCES candlebox_sweep (id) ON DELETE CASCADE,
    trial    INTEGER NOT NULL,
    run_id   VARCHAR(40) NOT NULL REFERENCES candlebox_run (id) ON DELETE CASCADE,
    params   TEXT NOT NULL,
    PRIMARY KEY (sweep_id, trial)
);
CREATE INDEX candlebox_sweep_trial_run ON candlebox_sweep_trial (run_id);
