import { useState } from 'react';
import { useLocation } from 'wouter';
import type { Client } from '../api/client';
import type { StrategyTemplate } from '../api/types';
import { comparePath, runPath } from '../app/routes';
import { storage } from '../app/storage';
import { HistoryPanel } from './HistoryPanel';

/** /history: every past run; open one (/runs/:id), tick two to compare (/compare?a=&b=), rename, tag, delete. */
export function HistoryPage({ client, templates }: { client: Client; templates: StrategyTemplate[] }) {
  const [, navigate] = useLocation();
  const [selected, setSelected] = useState<string[]>([]);
  return (
    <main className="page page-history">
      <HistoryPanel
        client={client}
        templates={templates}
        currentId={storage.loadLastRun()}
        selected={selected}
        onToggle={(id) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : s.concat(id).slice(-2)))}
        onOpen={(id) => navigate(runPath(id))}
        onCompare={() => selected.length === 2 && navigate(comparePath(selected[0], selected[1]))}
        onDeleted={(id) => {
          if (storage.loadLastRun() === id) storage.saveLastRun(null);
        }}
      />
    </main>
  );
}
