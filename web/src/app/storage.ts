// What the page keeps in the browser (localStorage) across reloads: the code, the form, the last run, the
// template loaded (its file and code, so the picker shows it and knows when the code was edited), flags.

const KEYS = {
  code: 'candlebox.code',
  form: 'candlebox.form',
  lastRun: 'candlebox.lastRun',
  template: 'candlebox.template',
  flags: 'candlebox.flags',
} as const;

/** The template last loaded into the editor. */
export interface LoadedTemplate {
  file: string;
  code: string;
}

function readJson(key: string): unknown {
  const raw = read(key);
  if (!raw) return null;
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

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
  loadTemplate(): LoadedTemplate | null {
    const v = readJson(KEYS.template) as Partial<LoadedTemplate> | null;
    return v && typeof v.file === 'string' && typeof v.code === 'string' ? { file: v.file, code: v.code } : null;
  },
  saveTemplate: (t: LoadedTemplate | null) => write(KEYS.template, t ? JSON.stringify(t) : null),
  loadFlag(name: string): boolean {
    const v = readJson(KEYS.flags) as Record<string, unknown> | null;
    return !!v && v[name] === true;
  },
  saveFlag(name: string, value: boolean): void {
    const v = (readJson(KEYS.flags) as Record<string, unknown> | null) ?? {};
    write(KEYS.flags, JSON.stringify({ ...v, [name]: value }));
  },
};
