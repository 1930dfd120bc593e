// A small JavaScript editor: a real <textarea> (so typing, selection, undo, screen readers and
// form labels work as everywhere) over a highlighted copy of its text that is hidden from
// assistive technology. Tab keeps moving focus (no keyboard trap); Enter keeps the indentation.
import { h } from './dom.js';

const KEYWORDS = new Set(('break case catch class const continue default delete do else export extends false finally for '
  + 'function if import in instanceof let new null return super switch this throw true try typeof undefined var void '
  + 'while yield async await of').split(' '));

// One alternation, tried at each position: comment, string, template, number, word, anything else.
const TOKEN = /(\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|('(?:[^'\\\n]|\\.)*'?|"(?:[^"\\\n]|\\.)*"?)|(`(?:[^`\\]|\\[\s\S])*`?)|(\b\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?\b|\b0[xX][\da-fA-F]+\b)|([A-Za-z_$][\w$]*)|([\s\S])/g;

/**
 * Splits source into highlighted spans. Exported for tests.
 * @param {string} source
 * @returns {{kind: 'comment' | 'string' | 'number' | 'keyword' | 'plain', text: string}[]}
 */
export function tokenize(source) {
  /** @type {{kind: 'comment' | 'string' | 'number' | 'keyword' | 'plain', text: string}[]} */
  const tokens = [];
  /** @param {'comment' | 'string' | 'number' | 'keyword' | 'plain'} kind @param {string} text */
  const push = (kind, text) => {
    const last = tokens[tokens.length - 1];
    if (last && last.kind === kind && kind === 'plain') last.text += text;
    else tokens.push({ kind, text });
  };
  for (const m of source.matchAll(TOKEN)) {
    if (m[1]) push('comment', m[1]);
    else if (m[2] || m[3]) push('string', m[2] ?? m[3]);
    else if (m[4]) push('number', m[4]);
    else if (m[5]) push(KEYWORDS.has(m[5]) ? 'keyword' : 'plain', m[5]);
    else push('plain', m[0]);
  }
  return tokens;
}

/**
 * @param {{label: string, value: string, describedBy?: string, placeholder?: string}} options
 */
export function codeEditor({ label, value, describedBy, placeholder }) {
  const code = h('code');
  const highlight = h('pre', { class: 'editor-highlight', 'aria-hidden': 'true' }, code);
  const textarea = h('textarea', {
    class: 'editor-input',
    'aria-label': label,
    'aria-describedby': describedBy,
    spellcheck: 'false',
    autocapitalize: 'off',
    autocomplete: 'off',
    wrap: 'off',
    rows: 16,
    placeholder,
  });
  textarea.value = value;
  const root = h('div', { class: 'editor' }, highlight, textarea);
  /** @type {number | null} */
  let markedLine = null;

  const paint = () => {
    /** @type {Node[][]} */
    const lines = [[]];
    for (const token of tokenize(textarea.value)) {
      const parts = token.text.split('\n');
      parts.forEach((part, i) => {
        if (i > 0) lines.push([]);
        if (part) lines[lines.length - 1].push(token.kind === 'plain' ? document.createTextNode(part) : h('span', { class: `tok-${token.kind}` }, part));
      });
    }
    // A trailing newline needs a line of its own so the copy is as tall as the textarea's text.
    code.replaceChildren(...lines.map((nodes, i) => h('span', { class: i + 1 === markedLine ? 'line line-error' : 'line' }, ...nodes, '\n')));
    syncScroll();
  };
  const syncScroll = () => {
    highlight.scrollTop = textarea.scrollTop;
    highlight.scrollLeft = textarea.scrollLeft;
  };
  textarea.addEventListener('input', () => {
    markedLine = null;
    paint();
  });
  textarea.addEventListener('scroll', syncScroll);
  textarea.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
    const start = textarea.selectionStart;
    const lineStart = textarea.value.lastIndexOf('\n', start - 1) + 1;
    const indent = /^[ \t]*/.exec(textarea.value.slice(lineStart, start))?.[0] ?? '';
    if (!indent) return;
    event.preventDefault();
    textarea.setRangeText(`\n${indent}`, start, textarea.selectionEnd, 'end');
    paint();
  });
  paint();

  return {
    element: root,
    textarea,
    get value() {
      return textarea.value;
    },
    /** @param {string} text */
    set value(text) {
      textarea.value = text;
      markedLine = null;
      paint();
    },
    /** Puts the caret at a 1-based line and column, marks the line, and focuses the editor.
     * @param {number} line @param {number | null} column */
    goTo(line, column) {
      const lines = textarea.value.split('\n');
      const row = Math.min(Math.max(line, 1), lines.length);
      let offset = 0;
      for (let i = 0; i < row - 1; i++) offset += lines[i].length + 1;
      offset += Math.min(Math.max((column ?? 1) - 1, 0), lines[row - 1].length);
      markedLine = row;
      paint();
      textarea.focus();
      textarea.setSelectionRange(offset, offset);
    },
  };
}
