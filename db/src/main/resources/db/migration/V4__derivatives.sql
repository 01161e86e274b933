-- Derivatives data of perpetuals (contract section 7) beside the kline tables: open interest, the long/short
-- account ratio and liquidations, per symbol and interval. open_time is epoch ms UTC like a kline's open_time:
-- the start of the period a value belongs to (Coinalyze: the hour whose last open interest, ratio or
-- liquidations the row gives; Binance: the period of the snapshot). Values are exact decimals (up to 12
-- places; more are rounded on import, where a source wrote 0.9740000000000001 for 0.974).
--
-- One table per kind, not one wide table keyed (symbol, interval, time): every kind comes from its own
-- source (Coinalyze exports one file per kind, Binance has one endpoint per kind) and covers its own range.
-- Apart, each kind's required value is NOT NULL, importing one kind never writes or conflicts with another's
-- columns, duplicates are counted per kind, and "no row" means "no data" (the API answers null for that
-- kind) instead of a row of NULLs that could mean "not imported" or "not known". The API joins them by time.
-- Written by dev.candlebox.db.derivatives.DerivativeStore.

-- open_interest: contracts open, in the base asset (BTC for BTCUSDT); open_interest_value: the same in the
-- quote asset (USDT), when the source gives it.
CREATE TABLE open_interest (
    symbol              VARCHAR(32) NOT NULL,
    interval_code       VARCHAR(4) NOT NULL,
    open_time           BIGINT NOT NULL,
    open_interest       NUMERIC(36,12) NOT NULL,
    open_interest_value NUMERIC(36,12),
    PRIMARY KEY (symbol, interval_code, open_time)
);

-- long_short_ratio: accounts long / accounts short; long_account, short_account: their shares as fractions
-- (0.7141 = 71.41 %), when known.
CREATE TABLE long_short_ratio (
    symbol           VARCHAR(32) NOT NULL,
    interval_code    VARCHAR(4) NOT NULL,
    open_time        BIGINT NOT NULL,
    long_short_ratio NUMERIC(36,12) NOT NULL,
    long_account     NUMERIC(36,12),
    short_account    NUMERIC(36,12),
    PRIMARY KEY (symbol, interval_code, open_time)
);

-- liquidations_long, liquidations_short: positions liquidated in the period, in quote value (USDT);
-- ..._base: the same in the base asset, as sources like Coinalyze give them. A source in base amounts gets
-- its quote values from the period's kline close; where no price is known they stay NULL.
CREATE TABLE liquidations (
    symbol                  VARCHAR(32) NOT NULL,
    interval_code           VARCHAR(4) NOT NULL,
    open_time               BIGINT NOT NULL,
    liquidations_long       NUMERIC(36,12),
    liquidations_short      NUMERIC(36,12),
    liquidations_long_base  NUMERIC(36,12),
    liquidations_short_base NUMERIC(36,12),
    PRIMARY KEY (symbol, interval_code, open_time)
);
