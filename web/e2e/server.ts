// Vitest global setup for the e2e tests: uses CANDLEBOX_URL when given, else starts the real server
// (server/target/candlebox.jar) on the embedded default with the bundled sample, on a free port with a
// fresh data directory, and stops it afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** How long the server may take to answer /health (its first start loads the bundled sample). */
const START_TIMEOUT_MS = Number(process.env.CANDLEBOX_START_TIMEOUT_MS ?? 180_000);

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

function javaHome(): string {
  if (process.env.JAVA_HOME) return process.env.JAVA_HOME;
  for (const dir of ['/usr/lib/jvm/temurin-25-jdk-amd64', '/usr/lib/jvm/java-25-openjdk-amd64']) if (existsSync(dir)) return dir;
  throw new Error('JAVA_HOME is not set and no JDK 25 was found');
}

let child: ChildProcess | null = null;
let dataDir: string | null = null;

export default async function setup(project: TestProject) {
  if (process.env.CANDLEBOX_URL) {
    project.provide('candleboxUrl', process.env.CANDLEBOX_URL);
    return;
  }
  const jar = process.env.CANDLEBOX_JAR ?? join(repo, 'server', 'target', 'candlebox.jar');
  if (!existsSync(jar)) throw new Error(`${jar} is missing: build it (mvn -B -q package -DskipTests) or set CANDLEBOX_URL`);
  const port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'candlebox-e2e-data-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), CANDLEBOX_DATA_DIR: dataDir };
  // the embedded default: no external database or Redis
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const log: string[] = [];
  child = spawn(join(javaHome(), 'bin', 'java'), ['-jar', jar, 'serve', '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => log.push(String(d)));
  child.stderr?.on('data', (d) => log.push(String(d)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode != null) throw new Error(`the server exited (${child.exitCode}):\n${log.join('')}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer /health in ${START_TIMEOUT_MS} ms:\n${log.join('')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  project.provide('candleboxUrl', url);
  console.log(`e2e: started ${jar} at ${url} (data in ${dataDir})`);
  return teardown;
}

async function teardown() {
  const c = child;
  if (c && c.exitCode == null) {
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (c.exitCode == null) c.kill('SIGKILL');
  }
  child = null;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    candleboxUrl: string;
  }
}
