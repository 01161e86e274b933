#!/usr/bin/env node
// A development stand-in for the backtest API (contract §5) while the real one is being built.
// NOT part of the product and NOT used by CI: the e2e tests are meant for the real server.
// It serves web/dist, forwards the kline API to a real Candlebox server (KLINE_URL), and fakes
// /api/v1/backtests with a JavaScript moving-average cross instead of running the Python code:
//   - a line containing `undefined_name` fails the run with a NameError on that line,
//   - a `def` or `class` line without its colon fails it with a SyntaxError,
//   - `while True` makes a run that only ends when cancelled,
//   - anything else trades an SMA cross (params fast_period / slow_period) over the real klines.
// Usage: KLINE_URL=http://127.0.0.1:18500 PORT=18600 [STRATEGIES_DIR=dir] node e2e/stand-in-server.mjs
import { createServer } from 'node:http';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, extname, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const DIST = join(here, '..', 'dist');
const KLINE_URL = process.env.KLINE_URL ?? 'http://127.0.0.1:18500';
const PORT = Number(process.env.PORT ?? 18600);
const STRATEGIES_DIR = process.env.STRATEGIES_DIR ?? join(here, '..', '..', 'strategies');

const runs = new Map();
let nextId = 1;

const json = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

async function klinesAll(symbol, interval, startMs, endMs) {
  const out = [];
  let after = startMs - 1;
  for (;;) {
    const r = await fetch(`${KLINE_URL}/api/v1/kline/${symbol}/${interval}?start_time=${after}&end_time=${endMs}&limit=1000`);
    const body = await r.json();
    if (!r.ok) throw Object.assign(new Error(body.detail), { field: body.parameter });
    out.push(...body.data);
    if (body.data.length < 1000) return out;
    after = Date.parse(body.data[body.data.length - 1].open_time);
  }
}

const sma = (xs, n, end) => {
  if (end < n) return null;
  let s = 0;
  for (let i = end - n; i < end; i++) s += xs[i];
  return s / n;
};

function summary(run) {
  const { code, ...request } = run.request;
  return { id: run.id, status: run.status, createdAt: run.createdAt, request, result: run.result };
}

function publicRun(run) {
  const { events, listeners, cancelled, equityCols, trades, ...rest } = run;
  return rest;
}

function emit(run, event, data) {
  run.events.push([event, data]);
  for (const l of run.listeners) l(event, data);
}

function finish(run, status, extra = {}) {
  Object.assign(run, { status, finishedAt: new Date().toISOString(), ...extra });
  if (status === 'succeeded') run.progress = 1;
  emit(run, 'end', publicRun(run));
}

async function execute(run) {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  await sleep(150);
  run.status = 'running';
  run.startedAt = new Date().toISOString();
  const req = run.request;
  const lines = req.code.split('\n');
  const bad = lines.findIndex((l) => l.includes('undefined_name'));
  if (bad >= 0) {
    await sleep(200);
    return finish(run, 'failed', { error: { type: 'NameError', message: "name 'undefined_name' is not defined", line: bad + 1 } });
  }
  const syntax = lines.findIndex((l) => /^\s*(def|class)\b/.test(l) && !/:\s*(#.*)?$/.test(l));
  if (syntax >= 0) return finish(run, 'failed', { error: { type: 'SyntaxError', message: "expected ':'", line: syntax + 1 } });
  if (/while True/.test(req.code)) {
    for (let i = 0; i < 1200 && !run.cancelled; i++) {
      await sleep(100);
      run.progress = Math.min(0.99, i / 1200);
      emit(run, 'progress', { progress: run.progress });
    }
    return finish(run, 'cancelled');
  }
  const ks = await klinesAll(req.symbol, req.interval, req.startTime ? Date.parse(req.startTime) : 0, req.endTime ? Date.parse(req.endTime) : 8.64e15);
  const closes = ks.map((k) => k.close);
  const p = req.strategyParams ?? {};
  const fast = p.fast_period ?? 10;
  const slow = p.slow_period ?? 30;
  const fee = req.feeRate;
  let balance = req.initialBalance;
  let position = 0;
  let cost = 0;
  let wins = 0;
  let sells = 0;
  let quoteFee = 0;
  let peak = req.initialBalance;
  let maxDd = 0;
  const eq = { timestamp: [], equity: [], balance: [], position: [], drawdown: [] };
  const trades = [];
  for (let i = 0; i < ks.length; i++) {
    if (run.cancelled) break;
    const k = ks[i];
    const t = k.open_time;
    if (i + 1 >= slow + 1) {
      const f = sma(closes, fast, i + 1), s = sma(closes, slow, i + 1), pf = sma(closes, fast, i), ps = sma(closes, slow, i);
      if (f > s && pf <= ps && position === 0) {
        const amount = (balance / k.close) * 0.95;
        const f2 = k.close * amount * fee;
        balance -= k.close * amount + f2;
        quoteFee += f2;
        position = amount;
        cost = k.close * amount + f2;
        const tr = { timestamp: t, type: 'buy', price: k.close, amount, balance, fee: f2 };
        trades.push(tr);
        emit(run, 'fill', tr);
        emit(run, 'log', { text: `${t} buy ${amount.toFixed(6)} @ ${k.close}` });
      } else if (f < s && pf >= ps && position > 0) {
        const amount = position;
        const f2 = k.close * amount * fee;
        balance += k.close * amount - f2;
        quoteFee += f2;
        sells++;
        if (k.close * amount - f2 - cost > 0) wins++;
        position = 0;
        const tr = { timestamp: t, type: 'sell', price: k.close, amount, balance, fee: f2 };
        trades.push(tr);
        emit(run, 'fill', tr);
        emit(run, 'log', { text: `${t} sell all @ ${k.close}` });
      }
    }
    const equity = balance + position * k.close;
    peak = Math.max(peak, equity);
    const dd = (peak - equity) / peak;
    maxDd = Math.max(maxDd, dd);
    eq.timestamp.push(Date.parse(t));
    eq.equity.push(equity);
    eq.balance.push(balance);
    eq.position.push(position);
    eq.drawdown.push(dd);
    if (i % 500 === 0) {
      run.progress = i / ks.length;
      emit(run, 'progress', { progress: run.progress });
      await sleep(Number(process.env.STEP_MS ?? 15));
    }
  }
  run.trades = trades;
  run.equityCols = eq;
  const last = ks[ks.length - 1];
  const finalBalance = balance + position * (last?.close ?? 0);
  run.logs = run.events.filter(([e]) => e === 'log').map(([, d]) => d.text).join('\n') + '\n';
  if (run.cancelled) return finish(run, 'cancelled');
  const result = {
    initialBalance: req.initialBalance, finalBalance, profit: finalBalance - req.initialBalance,
    profitRate: finalBalance / req.initialBalance - 1, maxDrawdown: maxDd, totalTrades: trades.length,
    winRate: sells ? wins / sells : 0, baseAsset: position, quoteAsset: balance, baseFee: 0, quoteFee,
  };
  const metrics = {
    totalFees: quoteFee, roundTrips: sells, exposure: eq.position.filter((x) => x > 0).length / Math.max(1, ks.length),
    buyAndHoldReturn: ks.length ? last.close / ks[0].close - 1 : 0, sharpe: 1.234, dataQuality: { klinesUsed: ks.length, gaps: 0 },
  };
  finish(run, 'succeeded', { result, metrics });
}

function thin(cols, maxPoints) {
  const n = cols.timestamp.length;
  if (n <= maxPoints) return cols;
  const buckets = Math.max(1, Math.floor(maxPoints / 4));
  const size = n / buckets;
  const keep = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size), to = Math.min(n, Math.floor((b + 1) * size));
    let lo = from, hi = from;
    for (let i = from; i < to; i++) {
      if (cols.equity[i] < cols.equity[lo]) lo = i;
      if (cols.equity[i] > cols.equity[hi]) hi = i;
    }
    for (const i of [...new Set([from, lo, hi, to - 1])].sort((a, c) => a - c)) keep.push(i);
  }
  const pick = (xs) => keep.map((i) => xs[i]);
  return { timestamp: pick(cols.timestamp), equity: pick(cols.equity), balance: pick(cols.balance), position: pick(cols.position), drawdown: pick(cols.drawdown) };
}

async function readBody(req) {
  let s = '';
  for await (const chunk of req) s += chunk;
  return s;
}

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const path = url.pathname;
  try {
    if (path.startsWith('/api/v1/kline') || path === '/health') {
      const r = await fetch(KLINE_URL + path + url.search);
      res.writeHead(r.status, { 'Content-Type': r.headers.get('content-type') ?? 'application/json' });
      return res.end(Buffer.from(await r.arrayBuffer()));
    }
    if (path === '/api/v1/strategies') {
      const files = existsSync(STRATEGIES_DIR) ? readdirSync(STRATEGIES_DIR).filter((f) => f.endsWith('.py')).sort() : [];
      return json(res, 200, {
        strategies: files.map((f) => {
          const code = readFileSync(join(STRATEGIES_DIR, f), 'utf8');
          // as the real server: name = the docstring's first line, description = the docstring
          const doc = /^\s*"""([\s\S]*?)"""/.exec(code);
          const text = doc ? doc[1].trim() : '';
          return { name: text.split('\n')[0] || f.replace(/\.py$/, ''), file: f, description: text, code };
        }),
      });
    }
    if (path === '/api/v1/backtests' && req.method === 'POST') {
      let body;
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        return json(res, 400, { detail: 'body is not JSON', field: null });
      }
      for (const f of ['symbol', 'interval', 'code']) if (!body[f]) return json(res, 400, { detail: `${f} is required`, field: f });
      if (!(body.initialBalance > 0)) return json(res, 400, { detail: 'initialBalance must be > 0', field: 'initialBalance' });
      if (!(body.feeRate >= 0 && body.feeRate < 1)) return json(res, 400, { detail: 'feeRate must be in [0, 1)', field: 'feeRate' });
      const probe = await fetch(`${KLINE_URL}/api/v1/kline/${body.symbol}/${body.interval}?limit=1`);
      if (!probe.ok) {
        const e = await probe.json();
        return json(res, 400, { detail: e.detail, field: e.parameter });
      }
      const id = String(nextId++);
      const run = {
        id, status: 'queued', progress: 0, request: body, result: null, metrics: null, error: null, logs: '',
        createdAt: new Date().toISOString(), startedAt: null, finishedAt: null, events: [], listeners: new Set(),
        cancelled: false, trades: [], equityCols: { timestamp: [], equity: [], balance: [], position: [], drawdown: [] },
      };
      runs.set(id, run);
      execute(run).catch((e) => finish(run, 'failed', { error: { type: 'Error', message: e.message, line: null } }));
      const wait = url.searchParams.get('wait') === 'true';
      if (!wait) return json(res, 202, publicRun(run));
      while (!['succeeded', 'failed', 'cancelled'].includes(run.status)) await new Promise((r) => setTimeout(r, 50));
      return json(res, 200, publicRun(run));
    }
    if (path === '/api/v1/backtests' && req.method === 'GET') {
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const before = url.searchParams.get('before');
      let list = [...runs.values()].sort((a, b) => Number(b.id) - Number(a.id));
      if (before) list = list.filter((r) => Number(r.id) < Number(before));
      const page = list.slice(0, limit);
      return json(res, 200, { runs: page.map(summary), next: list.length > limit ? page[page.length - 1].id : null });
    }
    const m = /^\/api\/v1\/backtests\/([^/]+)(\/[a-z.]+)?$/.exec(path);
    if (m) {
      const run = runs.get(m[1]);
      if (!run) return json(res, 404, { detail: `no run ${m[1]}`, field: 'id' });
      const sub = m[2] ?? '';
      if (sub === '' && req.method === 'GET') return json(res, 200, publicRun(run));
      if (sub === '' && req.method === 'DELETE') {
        run.cancelled = true;
        if (run.status === 'queued') finish(run, 'cancelled');
        return json(res, 200, publicRun(run));
      }
      if (sub === '/trades') {
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const limit = Number(url.searchParams.get('limit') ?? 1000);
        return json(res, 200, { total: run.trades.length, trades: run.trades.slice(offset, offset + limit) });
      }
      if (sub === '/equity') {
        const cols = thin(run.equityCols, Number(url.searchParams.get('maxPoints') ?? 2000));
        return json(res, 200, { total: run.equityCols.timestamp.length, ...cols });
      }
      if (sub === '/report.html') {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return res.end(`<!doctype html><title>Run ${run.id}</title><h1>Run ${run.id} (stand-in report)</h1><pre>${JSON.stringify(run.result, null, 2)}</pre>`);
      }
      if (sub === '/events') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
        const send = (event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        for (const [e, d] of run.events) send(e, d);
        if (['succeeded', 'failed', 'cancelled'].includes(run.status) && run.events.some(([e]) => e === 'end')) return res.end();
        const listener = (e, d) => {
          send(e, d);
          if (e === 'end') {
            run.listeners.delete(listener);
            res.end();
          }
        };
        run.listeners.add(listener);
        req.on('close', () => run.listeners.delete(listener));
        return;
      }
    }
    if (path.startsWith('/api/')) return json(res, 404, { detail: 'not found' });
    let file = join(DIST, path === '/' ? 'index.html' : path);
    if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory()) file = join(DIST, 'index.html');
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  } catch (e) {
    json(res, 500, { detail: String(e) });
  }
}).listen(PORT, '127.0.0.1', () => console.log(`stand-in backtest server on http://127.0.0.1:${PORT} (klines from ${KLINE_URL})`));
