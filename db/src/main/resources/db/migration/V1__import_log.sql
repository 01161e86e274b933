-- Kline tables (t_kline_{symbol}_{interval}) are created on demand by KlineStore, in the reference
-- system's layout, so that an existing database of it can be served as it is. This table records
-- each import and its data-quality report.
CREATE TABLE candlebox_import (
    id           BIGSERIAL PRIMARY KEY,
    series_table VARCHAR(80)  NOT NULL,
    source       VARCHAR(1000) NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    rows_read    BIGINT NOT NULL,
    rows_added   BIGINT NOT NULL,
    report       TEXT NOT NULL
);
CREATE INDEX candlebox_import_series ON candlebox_import (series_table, finished_at);
