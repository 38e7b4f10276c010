/**
 * Builds the server-rendered pages' scripts and styles into dist/pages, served at /pages/
 * (server/http/pages.ts): board.js, admin.js, report.js and pages.css, plus content-hashed chunks.
 * The widget stays out of these bundles: a page loads /widget/survey-live.js itself, and a page
 * script that needs it imports that very URL, so both share one module instance and one
 * connection. The widget's own build (vite.config.ts, dist/widget) is untouched.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

export const PAGES_OUT_DIR = 'dist/pages';

const WIDGET_SOURCE = fileURLToPath(new URL('./widget/survey-live.ts', import.meta.url));
/** Where the widget is, seen from dist/pages/<entry>.js as served at /pages/<entry>.js. */
const WIDGET_URL = '../widget/survey-live.js';

export default defineConfig({
  publicDir: false,
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  resolve: { conditions: ['browser', 'production', 'module', 'import', 'default'] },
  plugins: [widgetAsExternal()],
  build: {
    outDir: PAGES_OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    // Plain module scripts on pages the server renders: no HTML entry, no preload helper.
    modulePreload: false,
    rolldownOptions: {
      input: {
        board: 'pages/board/board.ts',
        admin: 'pages/admin/admin.ts',
        report: 'pages/report/report.ts',
        pages: 'pages/styles/pages.css',
      },
      output: {
        minify: true,
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        assetFileNames: '[name][extname]',
      },
    },
  },
});

/** Page scripts import the widget's source for its types; the bundle imports the built widget instead. */
function widgetAsExternal(): Plugin {
  return {
    name: 'survey-live:widget-as-external',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!importer || !/survey-live(\.js|\.ts)?$/.test(source)) return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      return resolved?.id === WIDGET_SOURCE ? { id: WIDGET_URL, external: true } : null;
    },
  };
}
