import { describe, expect, it } from 'vitest';
import readme from '../../../README.md?raw';
import { apiDocsHtml, sections, unlinkRelative } from './apiDocs';

describe('the HTTP API page', () => {
  it('takes only the named sections', () => {
    const md = '# T\n\n## A\none\n\n## Kline API\nk\n\n## B\ntwo\n\n## Backtest API\nb\n';
    expect(sections(md, ['Kline API', 'Backtest API'])).toBe('## Kline API\nk\n\n\n## Backtest API\nb\n');
  });

  it('turns links to the repository into text and keeps web links', () => {
    expect(unlinkRelative('see [docs/orders.md](docs/orders.md) and [x](https://e.org) and [here](#a)')).toBe('see `docs/orders.md` and [x](https://e.org) and [here](#a)');
    expect(unlinkRelative('[the rules](docs/rate-limits.md)')).toBe('the rules (`docs/rate-limits.md`)');
  });

  it("renders the README's kline and backtest APIs with every endpoint of the backtest API", () => {
    const html = apiDocsHtml(readme);
    expect(html).toContain('<h2>Kline API</h2>');
    expect(html).toContain('<h2>Backtest API</h2>');
    for (const call of ['POST /api/v1/backtests', 'PATCH /api/v1/backtests/{id}', 'DELETE /api/v1/backtests/{id}?purge=true', 'GET /api/v1/backtests/{id}/equity']) {
      expect(html).toContain(call);
    }
    expect(html).not.toContain('<h2>Storage</h2>');
  });
});
