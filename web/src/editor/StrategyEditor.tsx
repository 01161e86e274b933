import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { basicSetup } from 'codemirror';
import { EditorView, Decoration, keymap, type DecorationSet } from '@codemirror/view';
import { EditorState, StateEffect, StateField, Prec, Compartment } from '@codemirror/state';
import { python, pythonLanguage } from '@codemirror/lang-python';
import { HighlightStyle, syntaxHighlighting, indentUnit } from '@codemirror/language';
import { setDiagnostics } from '@codemirror/lint';
import { tags } from '@lezer/highlight';
import { indentWithTab } from '@codemirror/commands';
import { strategyCompletionSource } from './completion';
import type { Lang } from './strategyApi';

/** A failed run's message, pinned to a line of the code. */
export interface CodeFailure {
  line: number;
  message: string;
}

export interface EditorHandle {
  /** Replaces the whole code as one undoable change. */
  setCode(code: string): void;
  getCode(): string;
  focus(): void;
  /** Moves the cursor to a line (1-based) and scrolls it into view. */
  goToLine(line: number): void;
}

const setFailure = StateEffect.define<CodeFailure | null>();

const failureLine = Decoration.line({ class: 'cm-failLine', attributes: { 'data-fail-line': 'true' } });

/** The highlighted failing line; it follows edits above it and is cleared by the next run. */
const failureField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setFailure)) continue;
      if (e.value == null || e.value.line < 1 || e.value.line > tr.state.doc.lines) deco = Decoration.none;
      else deco = Decoration.set([failureLine.range(tr.state.doc.line(e.value.line).from)]);
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

const darkTheme = EditorView.theme(
  {
    '&': { color: 'var(--text)', backgroundColor: 'var(--editor-bg)', height: '100%', fontSize: '13px' },
    '.cm-content': { caretColor: '#f0b90b', fontFamily: 'var(--mono)' },
    '.cm-cursor, .cm-dropCursor': { borderLeftColor: '#f0b90b' },
    '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': { backgroundColor: '#2b3a55' },
    '.cm-gutters': { backgroundColor: 'var(--editor-bg)', color: '#5d6b82', border: 'none' },
    '.cm-activeLine': { backgroundColor: '#ffffff08' },
    '.cm-activeLineGutter': { backgroundColor: '#ffffff0c', color: '#aab4c5' },
    '.cm-failLine': { backgroundColor: '#f6465d33', boxShadow: 'inset 3px 0 0 #f6465d' },
    '.cm-tooltip': { backgroundColor: '#1e2533', border: '1px solid #2f3a4d', color: 'var(--text)' },
    '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: '#2b3a55', color: '#fff' },
    '.cm-completionInfo': { maxWidth: '360px' },
    '.cm-panels': { backgroundColor: '#1e2533', color: 'var(--text)' },
    '.cm-scroller': { overflow: 'auto' },
  },
  { dark: true },
);

const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: '#c678dd' },
  { tag: [tags.definitionKeyword, tags.controlKeyword, tags.operatorKeyword], color: '#c678dd' },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: '#61afef' },
  { tag: [tags.definition(tags.variableName), tags.className, tags.definition(tags.className)], color: '#e5c07b' },
  { tag: [tags.number, tags.bool, tags.null], color: '#d19a66' },
  { tag: [tags.string, tags.special(tags.string)], color: '#98c379' },
  { tag: tags.comment, color: '#5c6b80', fontStyle: 'italic' },
  { tag: tags.propertyName, color: '#56b6c2' },
  { tag: tags.self, color: '#e06c75' },
  { tag: tags.operator, color: '#abb2bf' },
]);

export interface StrategyEditorProps {
  initialCode: string;
  onChange(code: string): void;
  failure: CodeFailure | null;
  /** Ctrl/Cmd+Enter. */
  onRun(): void;
  lang: Lang;
  label: string;
  ref?: Ref<EditorHandle>;
}

export function StrategyEditor({ initialCode, onChange, failure, onRun, lang, label, ref }: StrategyEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef({ onChange, onRun, lang });
  latest.current = { onChange, onRun, lang };
  const labelCompartment = useRef(new Compartment());

  useEffect(() => {
    const state = EditorState.create({
      doc: initialCode,
      extensions: [
        Prec.highest(
          keymap.of([
            { key: 'Mod-Enter', run: () => (latest.current.onRun(), true) },
          ]),
        ),
        basicSetup,
        keymap.of([indentWithTab]),
        indentUnit.of('    '),
        python(),
        pythonLanguage.data.of({ autocomplete: strategyCompletionSource(() => latest.current.lang) }),
        syntaxHighlighting(highlight),
        darkTheme,
        failureField,
        // long lines wrap instead of running off a narrow column
        EditorView.lineWrapping,
        labelCompartment.current.of(EditorView.contentAttributes.of({ 'aria-label': label })),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) latest.current.onChange(u.state.doc.toString());
        }),
      ],
    });
    const v = new EditorView({ state, parent: host.current! });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // the editor is created once; later code changes go through the handle
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    view.current?.dispatch({ effects: labelCompartment.current.reconfigure(EditorView.contentAttributes.of({ 'aria-label': label })) });
  }, [label]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const doc = v.state.doc;
    if (failure && failure.line >= 1 && failure.line <= doc.lines) {
      const line = doc.line(failure.line);
      v.dispatch(
        setDiagnostics(v.state, [{ from: line.from, to: Math.max(line.from, line.to), severity: 'error', message: failure.message }]),
        { effects: [setFailure.of(failure), EditorView.scrollIntoView(line.from, { y: 'center' })] },
      );
    } else {
      v.dispatch(setDiagnostics(v.state, []), { effects: setFailure.of(null) });
    }
  }, [failure]);

  useImperativeHandle(
    ref,
    () => ({
      setCode(code: string) {
        const v = view.current;
        if (!v) return;
        v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: code }, selection: { anchor: 0 } });
      },
      getCode: () => view.current?.state.doc.toString() ?? '',
      focus: () => view.current?.focus(),
      goToLine(lineNo: number) {
        const v = view.current;
        if (!v || lineNo < 1 || lineNo > v.state.doc.lines) return;
        const line = v.state.doc.line(lineNo);
        v.dispatch({ selection: { anchor: line.from }, effects: EditorView.scrollIntoView(line.from, { y: 'center' }) });
        v.focus();
      },
    }),
    [],
  );

  return <div className="editor-host" ref={host} data-testid="code-editor" />;
}
