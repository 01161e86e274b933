def __candlebox_step__(strategy, ctx, params, Kline, day_string, inputs=False):
    """The per-kline step of one strategy (STRATEGY_ID), made for each run of it.

    The engine (Java) drives the loop and calls the step once per kline with that kline's values
    only: nothing in Python ever holds a later kline, and nothing here moves the engine's clock. The
    text carries the strategy's id, so each strategy gets a step (and a strategy.run call site) of its
    own, which Truffle compiles for it alone; runs of the same code share the compiled step.

    A run with derivatives data (inputs) gets the second step, which also takes the kline's aligned
    derivatives values (None where there are none); runs without keep the plain step and pay nothing.
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

    def step_inputs_STRATEGY_ID(ot, op, hi, lo, cl, vo, ct, qv, tc, tbb, tbq, day, oi, fr, ft, ls, ll, lsh):
        try:
            k = Kline(ot, op, hi, lo, cl, vo, ct, qv, tc, tbb, tbq)
            k.open_interest = oi
            k.funding_rate = fr
            k.funding_time_ms = ft
            k.long_short_ratio = ls
            k.liquidations_long = ll
            k.liquidations_short = lsh
            strategy.kline_cache.append(k)
            strategy.run(ctx, k, params)
            if day >= 0:
                strategy.on_day_end(day_string(day), ctx)
        except BaseException as e:
            return e
        return None
    return step_inputs_STRATEGY_ID if inputs else step_STRATEGY_ID
