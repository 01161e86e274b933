-- Funding rates of perpetual futures (contract section 7), one row per symbol and settlement, beside the
-- kline tables. funding_time is epoch ms UTC like open_time, rounded to the minute of the settlement
-- (Binance stamps it a few ms after the hour). rate is a fraction (0.0001 = 0.01 %; > 0: longs pay shorts),
-- kept exactly as the source wrote it; mark_price is the mark price at the settlement when the source gives
-- it. Written by dev.candlebox.db.funding.FundingStore.
CREATE TABLE funding_rates (
    symbol         VARCHAR(32) NOT NULL,
    funding_time   BIGINT NOT NULL,
    rate           NUMERIC(20,12) NOT NULL,
    interval_hours INTEGER NOT NULL,
    mark_price     NUMERIC(20,8),
    PRIMARY KEY (symbol, funding_time)
);
