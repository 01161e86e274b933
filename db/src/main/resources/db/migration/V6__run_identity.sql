-- Run identity: a name and tags the trader gives a run (PATCH /api/v1/backtests/{id}). name NULL: the run
-- shows its default name (the strategy's docstring title or class name). tags: a JSON array of strings,
-- NULL for none. Written by dev.candlebox.db.run.RunStore.label.
ALTER TABLE candlebox_run ADD COLUMN name VARCHAR(200);
ALTER TABLE candlebox_run ADD COLUMN tags VARCHAR(2000);
