// What the page keeps in the browser (localStorage) across reloads: the code, the form, the last run.

const KEYS = {
  code: 'candlebox.code',
  form: 'candlebox.form',
  lastRun: 'candlebox.lastRun',
} as const;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // storage full or blocked: the page still works, it just forgets on reload
  }
}

export const storage = {
  loadCode: () => read(KEYS.code),
  saveCode: (code: string) => write(KEYS.code, code),
  loadForm<T>(): Partial<T> | null {
    const raw = read(KEYS.form);
    if (!raw) return null;
    try {
      const v = JSON.parse(raw);
      return v && typeof v === 'object' ? (v as Partial<T>) : null;
    } catch {
      return null;
    }
  },
  saveForm: (form: unknown) => write(KEYS.form, JSON.stringify(form)),
  loadLastRun: () => read(KEYS.lastRun),
  saveLastRun: (id: string | null) => write(KEYS.lastRun, id),
};
