// Serves a folder on 127.0.0.1 with the right MIME types (application/wasm matters), optionally under a sub-path.
// Used by `make serve` and by the browser tests; it has no dependencies beyond node itself.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.zip': 'application/zip',
  '.txt': 'text/plain; charset=utf-8',
};

/** Starts a server for `root` at `basePath` (e.g. "/" or "/tools/pe-configurator/"); resolves to { server, url }. */
export function startStaticServer({ root, port = 0, basePath = '/' }) {
  const rootDir = resolve(root);
  const base = basePath.endsWith('/') ? basePath : `${basePath}/`;
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    if (!url.pathname.startsWith(base)) {
      response.writeHead(404).end('not found');
      return;
    }
    let relative = decodeURIComponent(url.pathname.slice(base.length)) || 'index.html';
    let file = normalize(join(rootDir, relative));
    if (!file.startsWith(rootDir)) {
      response.writeHead(403).end('forbidden');
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      });
      response.end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  return new Promise((resolvePromise) => {
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolvePromise({ server, url: `http://127.0.0.1:${address.port}${base}` });
    });
  });
}

// Command line: node scripts/static-server.mjs DIR [PORT] [BASE_PATH]
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [root = 'dist', port = '8080', basePath = '/'] = process.argv.slice(2);
  const { url } = await startStaticServer({ root, port: Number(port), basePath });
  console.log(`pe-configurator is served on ${url} (Ctrl-C to stop)`);
}
