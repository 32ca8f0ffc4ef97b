// Bundles web/src with esbuild into content-hashed files, writes index.html naming them and
// the list of files the http module embeds into the binary.
import { createRequire } from 'node:module';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    modules: { type: 'string' }, // node_modules installed by `npm ci` (may live in the build tree)
    out: { type: 'string' },
    list: { type: 'string' },
  },
});
if (!args.modules || !args.out || !args.list) {
  console.error('usage: node build.mjs --modules DIR --out DIR --list FILE');
  process.exit(2);
}
const modules = resolve(args.modules);
const out = resolve(args.out);
const source = join(here, 'src');

// esbuild is found in the given node_modules, not next to this file.
const esbuild = createRequire(join(modules, 'package.json'))('esbuild');

// A clean directory each time: stale hashed files must not be embedded.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = await esbuild.build({
  entryPoints: { app: join(source, 'main.js') },
  bundle: true,
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  minify: true,
  legalComments: 'none',
  entryNames: 'assets/[name]-[hash]',
  assetNames: 'assets/[name]-[hash]',
  nodePaths: [modules],
  outdir: out,
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((path) => relative(out, resolve(path)));
const script = outputs.find((path) => path.endsWith('.js'));
const style = outputs.find((path) => path.endsWith('.css'));
const page = readFileSync(join(source, 'index.html'), 'utf8')
  .replace('{{script}}', `/${script}`)
  .replace('{{style}}', `/${style}`);
writeFileSync(join(out, 'index.html'), page);
copyFileSync(join(source, 'icon.svg'), join(out, 'icon.svg'));

const files = ['index.html', 'icon.svg', ...outputs].sort();
writeFileSync(args.list, files.join('\n') + '\n');
