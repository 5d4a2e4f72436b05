// A private Mosquitto broker for one test: its own port, config and persistence folder, so a restart keeps
// persistent sessions (and their queued QoS 1 messages) like a production broker does. Stopped with SIGTERM.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../harness/waitFor.ts';
import { freePort } from '../../harness/freePort.ts';

export interface PrivateBroker {
  port: number;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** A broker account and the topic filters it may use (mosquitto acl_file `topic <access> <filter>` lines). */
export interface BrokerUser {
  name: string;
  password: string;
  topics: { access: 'read' | 'write' | 'readwrite'; filter: string }[];
}

/** Without users: anonymous access to everything. With users: only they, each limited by its ACL. */
export async function startPrivateBroker(options: { users?: BrokerUser[] } = {}): Promise<PrivateBroker> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'ioc-mosquitto-'));
  const configPath = join(dir, 'mosquitto.conf');
  // Started as root, mosquitto would switch to its own user, which cannot read or write this private folder.
  const lines = [
    `listener ${port} 127.0.0.1`,
    `user ${userInfo().username}`,
    'persistence true',
    `persistence_location ${dir}/`,
  ];
  if (options.users?.length) {
    const passwords = join(dir, 'passwords');
    const acl = join(dir, 'acl');
    await writeFile(passwords, '');
    for (const user of options.users) execFileSync('mosquitto_passwd', ['-b', passwords, user.name, user.password]);
    await writeFile(
      acl,
      options.users
        .map((u) => [`user ${u.name}`, ...u.topics.map((t) => `topic ${t.access} ${t.filter}`), ''].join('\n'))
        .join('\n'),
    );
    lines.push('allow_anonymous false', `password_file ${passwords}`, `acl_file ${acl}`);
  } else {
    lines.push('allow_anonymous true');
  }
  await writeFile(configPath, `${lines.join('\n')}\n`);
  let child: ChildProcess | null = null;
  const broker: PrivateBroker = {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    async start() {
      if (child) return;
      const started = spawn('mosquitto', ['-c', configPath], { stdio: 'ignore' });
      child = started;
      started.on('exit', () => {
        if (child === started) child = null;
      });
      await waitFor(`mosquitto on ${port}`, () => listening(port), 10_000, 50);
    },
    async stop() {
      const running = child;
      if (!running) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
      child = null;
    },
    async close() {
      await broker.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await broker.start();
  return broker;
}
