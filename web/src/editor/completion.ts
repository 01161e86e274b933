import { snippetCompletion, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { syntaxTree } from '@codemirror/language';
import { API_SECTIONS, GLOBAL_NAMES, membersOf, type ApiEntry, type Lang } from './strategyApi';

const TYPE_OF_KIND: Record<ApiEntry['kind'], string> = {
  class: 'class',
  function: 'function',
  method: 'method',
  property: 'property',
  constant: 'constant',
};

function toCompletion(entry: ApiEntry, lang: Lang, boost = 0): Completion {
  return {
    label: entry.name,
    type: TYPE_OF_KIND[entry.kind],
    detail: entry.signature.startsWith(entry.name) ? entry.signature.slice(entry.name.length) : entry.signature,
    info: entry.doc[lang],
    boost,
  };
}

const strategySnippet = (lang: Lang) =>
  snippetCompletion('class Strategy(IStrategy):\n\tdef run(self, context, kline, params):\n\t\t${pass}', {
    label: 'Strategy',
    type: 'keyword',
    detail: lang === 'zh' ? '策略类模板' : 'strategy class',
    boost: 2,
  });

/**
 * Completion for the strategy API: members after `context.`, `kline.`, `self.kline_cache.`,
 * `OrderType.` ..., and the global names (indicators, classes) elsewhere. Python's own keywords and
 * builtins come from @codemirror/lang-python alongside.
 */
export function strategyCompletionSource(lang: () => Lang) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const node = syntaxTree(ctx.state).resolveInner(ctx.pos, -1);
    if (/String|Comment/.test(node.type.name)) return null;

    const member = ctx.matchBefore(/[A-Za-z_][\w.]*\.\w*$/);
    if (member) {
      const dot = member.text.lastIndexOf('.');
      const entries = membersOf(member.text.slice(0, dot));
      if (!entries) return null;
      return { from: member.from + dot + 1, options: entries.map((e) => toCompletion(e, lang())), validFor: /^\w*$/ };
    }

    const word = ctx.matchBefore(/\w+$/);
    if (!word && !ctx.explicit) return null;
    const globals = API_SECTIONS.flatMap((s) => s.entries.filter((e) => s.receivers.length === 0 && GLOBAL_NAMES.includes(e.name)));
    return {
      from: word ? word.from : ctx.pos,
      options: [...globals.map((e) => toCompletion(e, lang(), 1)), strategySnippet(lang())],
      validFor: /^\w*$/,
    };
  };
}
