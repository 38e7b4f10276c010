/**
 * Builds the widget: one ES module, dist/widget/survey-live.js (the elements, Lit and
 * socket.io-client), plus content-hashed chunks loaded on demand (Chart.js, for charts only).
 * The server serves the directory at /widget/ (server/http/widget-assets.ts).
 */
import { defineConfig, type Plugin, parseAst } from 'vite';

export const WIDGET_ENTRY = 'survey-live.js';
export const WIDGET_CHUNKS_DIR = 'chunks';

export default defineConfig({
  // Built into a directory the server serves; nothing in public/ to copy.
  publicDir: false,
  define: {
    // Library mode leaves process.env alone; dependencies read it to drop development code.
    'process.env.NODE_ENV': JSON.stringify('production'),
  },
  resolve: {
    conditions: ['browser', 'production', 'module', 'import', 'default'],
  },
  plugins: [minifyTemplateLiterals(), withoutWebTransport()],
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    lib: {
      entry: 'widget/survey-live.ts',
      formats: ['es'],
      fileName: () => WIDGET_ENTRY,
    },
    rolldownOptions: {
      // Modules the entry shares with a lazy chunk (shared/constants.ts) stay in the entry, which
      // exports them to the chunk, instead of going into a third chunk every page must fetch.
      preserveEntrySignatures: 'allow-extension',
      output: {
        minify: true,
        // Tree-shaking hints (/* @__PURE__ */) mean nothing once bundled: about 50 bytes gzip of the entry's budget. Licences stay.
        comments: { annotation: false },
        chunkFileNames: `${WIDGET_CHUNKS_DIR}/[name]-[hash].js`,
      },
    },
  },
});

/**
 * engine.io-client lists WebTransport among its transports, but a client only ever uses it when
 * asked to (`transports: ['webtransport']`) against an HTTP/3 server, and survey-live is neither:
 * leaving it out takes a few hundred bytes off the entry's 25 KB budget.
 */
function withoutWebTransport(): Plugin {
  return {
    name: 'survey-live:without-webtransport',
    apply: 'build',
    transform(code, id) {
      if (!/engine\.io-client\/build\/esm\/transports\/index\.js$/.test(id)) return null;
      const trimmed = code.replace(/^import \{ WT \} from "\.\/webtransport\.js";$/m, '').replace(/^\s*webtransport: WT,$/m, '');
      if (trimmed.includes('WT')) this.error('engine.io-client changed its transports list: update withoutWebTransport() in vite.config.ts');
      return { code: trimmed, map: null };
    },
  };
}

/** The few ESTree fields the template minifier looks at. */
interface AstNode {
  type?: string;
  name?: string;
  tag?: AstNode;
  callee?: AstNode;
  arguments?: AstNode[];
  quasi?: AstNode;
  quasis?: { start: number; end: number }[];
}

/**
 * The minifier leaves template literals alone, and the widget's CSS and HTML live in Lit's
 * css`` and html`` templates: collapse their formatting whitespace (about 1 KB gzip of the
 * 25 KB budget). Only the literal text between `${}` is touched, never an expression.
 */
function minifyTemplateLiterals(): Plugin {
  const minifyCss = (text: string) =>
    text
      .replace(/\s+/g, ' ')
      .replace(/ ?([{};,]) ?/g, '$1')
      .replace(/([{;]\s*[-_a-z]+): /g, '$1:')
      // The last declaration needs no ";", and 0.25rem reads as .25rem.
      .replace(/;}/g, '}')
      .replace(/([\s:,(])0\.(\d)/g, '$1.$2');
  const minifyHtml = (text: string) => text.replace(/\s+/g, ' ');
  return {
    name: 'survey-live:minify-template-literals',
    apply: 'build',
    transform(code, id) {
      if (!/\/widget\/.*\.ts$/.test(id) || !/\b(css|html|unsafeCSS)\b/.test(code)) return null;
      const edits: { start: number; end: number; text: string }[] = [];
      const visit = (node: unknown): void => {
        if (!node || typeof node !== 'object') return;
        if (Array.isArray(node)) {
          for (const child of node) visit(child);
          return;
        }
        const n = node as AstNode;
        const tag = n.type === 'TaggedTemplateExpression' && n.tag?.type === 'Identifier' ? n.tag.name : undefined;
        const literal =
          tag === 'css' || tag === 'html'
            ? n.quasi
            : n.type === 'CallExpression' && n.callee?.type === 'Identifier' && n.callee.name === 'unsafeCSS' && n.arguments?.[0]?.type === 'TemplateLiteral'
              ? n.arguments[0]
              : undefined;
        if (literal?.quasis) {
          const minify = tag === 'html' ? minifyHtml : minifyCss;
          for (const quasi of literal.quasis) edits.push({ start: quasi.start, end: quasi.end, text: minify(code.slice(quasi.start, quasi.end)) });
        }
        for (const value of Object.values(n)) if (value && typeof value === 'object') visit(value);
      };
      visit(parseAst(code));
      if (edits.length === 0) return null;
      let out = code;
      for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
      return { code: out, map: null };
    },
  };
}
