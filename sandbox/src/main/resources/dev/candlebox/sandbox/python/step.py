def __candlebox_step__(strategy, ctx, params, Kline, day_string):
    """The per-kline step of one strategy (STRATEGY_ID), made for each run of it.

    The engine (Java) drives the loop and calls the step once per kline with that kline's values
    only: nothing in Python ever holds a later kline, and nothing here moves the engine's clock. The
    text carries the strategy's id, so each strategy gets a step (and a strategy.run call site) of its
    own, which Truffle compiles for it alone; runs of the same code share the compiled step.
    """
    def step_STRATEGY_ID(ot, op, hi, lo, cl, vo, ct, qv, tc, tbb, tbq, day):
        # None, or the exception the strategy let escape (SystemExit included: raised across the
        # engine's boundary it would exit the interpreter instead of being reported).
        try:
            k = Kline(ot, op, hi, lo, cl, vo, ct, qv, tc, tbb, tbq)
            strategy.kline_cache.append(k)
            strategy.run(ctx, k, params)
            if day >= 0:
                strategy.on_day_end(day_string(day), ctx)
        except BaseException as e:
            return e
        return None
    return step_STRATEGY_ID
