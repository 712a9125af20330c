/**
 * `npm start`: the simulator without an Electron binary. Makes sure pcscd runs, builds the renderer
 * if needed, and serves it on 127.0.0.1. The kiosk core joins this host with the kiosk issue.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensurePcscd } from '../../native/pcscd/pcscd';
import { serveStatic } from './static-files';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rendererDir = path.join(repo, 'out/renderer');

async function main(): Promise<void> {
  const port = Number(process.env.KIOSK_PORT ?? 5177);
  try {
    const r = await ensurePcscd({ logFile: path.join(repo, 'out/pcscd.log') });
    console.log(r.startedByUs ? `pcscd started (pid ${r.pid})` : `pcscd running (pid ${r.pid})`);
  } catch (err) {
    // Without pcscd the kiosk still shows its screens; the reader status will say what is wrong.
    console.error(`warning: ${(err as Error).message}`);
  }
  if (!fs.existsSync(path.join(rendererDir, 'index.html')) || process.env.KIOSK_REBUILD === '1') {
    console.log('building the renderer…');
    execFileSync('npx', ['electron-vite', 'build'], { cwd: repo, stdio: 'inherit' });
  }
  const server = http.createServer((req, res) => serveStatic(rendererDir, req, res));
  server.listen(port, '127.0.0.1', () => {
    console.log(`kiosk-sim browser host: http://127.0.0.1:${port}/`);
  });
}

void main();
