// Hosts of a multi-host test as Linux network namespaces on one machine: one namespace per host, each with
// loopback and one veth to a bridge in the root namespace (10.231.<n>.0/24), whose link can be cut and restored.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
/** Every namespace and link this module makes starts with it, then the owning process's pid. */
export const NETWORK_PREFIX = 'iocmh';
const SUBNET_BASE = '10.231';
/** The bridge's own address (the root namespace: the test process, and cameras it serves). */
const BRIDGE_HOST = 254;

export interface NetHost {
  readonly name: string;
  readonly namespace: string;
  /** Its address on the bridge, e.g. 10.231.7.2. */
  readonly address: string;
  /** The veth end in the root namespace, plugged into the bridge: the cable cut() pulls. */
  readonly switchPort: string;
  /** `ip netns exec <ns> <command> <args>`: the argument list that runs a command on this host. */
  exec(command: string, args: readonly string[]): [string, string[]];
}

export interface HostNetwork {
  readonly bridge: string;
  /** The root namespace's address on the bridge: what the test process reaches the hosts from. */
  readonly bridgeAddress: string;
  readonly subnet: string;
  readonly hosts: ReadonlyMap<string, NetHost>;
  host(name: string): NetHost;
  /**
   * Pulls the host's cable at the switch: its bridge-side veth goes down, the host's own interface loses
   * carrier, keeps its address and routes, and every packet to or from it is dropped silently, so open TCP
   * connections hang and retransmit (no reset), as when a link fails between two racks.
   */
  cut(name: string): Promise<void>;
  restore(name: string): Promise<void>;
  /** Deletes the namespaces (their veths go with them) and the bridge; idempotent, never throws. */
  close(): Promise<void>;
}

async function ip(args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync('ip', [...args], { timeout: 20_000 });
    return stdout;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`ip ${args.join(' ')} failed: ${stderr || (err as Error).message}`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid a name of ours carries (iocmh<pid>-data, iocmh<pid>br, iocmh<pid>h0), or null for another's name. */
function ownerPid(name: string): number | null {
  const match = new RegExp(`^${NETWORK_PREFIX}(\\d+)`).exec(name);
  return match ? Number(match[1]) : null;
}

/**
 * Removes what a crashed run left: namespaces and links of ours whose owning process is gone, and the processes
 * still running in those namespaces (a private Redis or PostgreSQL of that run). Returns the names removed.
 */
export async function removeStaleNetworks(): Promise<string[]> {
  const removed: string[] = [];
  const namespaces = (await ip(['netns', 'list']))
    .split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter(Boolean);
  for (const namespace of namespaces) {
    const pid = ownerPid(namespace);
    if (pid === null || alive(pid)) continue;
    const pids = (await ip(['netns', 'pids', namespace]).catch(() => '')).split('\n').filter(Boolean).map(Number);
    for (const leftover of pids) {
      try {
        process.kill(leftover, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await ip(['netns', 'delete', namespace]).catch(() => undefined);
    removed.push(namespace);
  }
  const links = (await ip(['-o', 'link', 'show']))
    .split('\n')
    .map((line) => /^\d+:\s+([^:@\s]+)/.exec(line)?.[1])
    .filter((n): n is string => !!n);
  for (const link of links) {
    const pid = ownerPid(link);
    if (pid === null || alive(pid)) continue;
    await ip(['link', 'delete', link]).catch(() => undefined);
    removed.push(link);
  }
  return removed;
}

/** A /24 under 10.231 no interface of this machine is on yet. */
async function freeSubnet(): Promise<string> {
  const used = await ip(['-o', '-4', 'addr', 'show']);
  for (let i = 0; i < 250; i++) {
    const third = ((process.pid + i) % 250) + 1;
    const subnet = `${SUBNET_BASE}.${third}`;
    if (!used.includes(`${subnet}.`)) return subnet;
  }
  throw new Error(`no free /24 under ${SUBNET_BASE}.0.0/16`);
}

/**
 * Builds the network: a bridge in the root namespace, then per host (in order, addresses .1, .2 …) a namespace,
 * a veth pair whose inner end is renamed eth0, loopback up. Fails with what to do when `ip netns` is not allowed.
 */
export async function createHostNetwork(hostNames: readonly string[]): Promise<HostNetwork> {
  await removeStaleNetworks().catch((err: unknown) => {
    throw new Error(
      `a multi-host test needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) for \`ip netns\`: ${(err as Error).message}`,
    );
  });
  const tag = `${NETWORK_PREFIX}${process.pid}`;
  const bridge = `${tag}br`;
  const subnet = await freeSubnet();
  const hosts = new Map<string, NetHost>();
  const namespaces: string[] = [];
  let closing: Promise<void> | null = null;
  const network: HostNetwork = {
    bridge,
    bridgeAddress: `${subnet}.${BRIDGE_HOST}`,
    subnet: `${subnet}.0/24`,
    hosts,
    host(name) {
      const found = hosts.get(name);
      if (!found) throw new Error(`no host ${name} in the test network`);
      return found;
    },
    cut: (name) => ip(['link', 'set', network.host(name).switchPort, 'down']).then(() => undefined),
    restore: (name) => ip(['link', 'set', network.host(name).switchPort, 'up']).then(() => undefined),
    close() {
      closing ??= (async () => {
        // A veth deleted from the root side takes its peer along, even while a process keeps its namespace alive.
        for (const host of hosts.values()) await ip(['link', 'delete', host.switchPort]).catch(() => undefined);
        for (const namespace of namespaces) await ip(['netns', 'delete', namespace]).catch(() => undefined);
        await ip(['link', 'delete', bridge]).catch(() => undefined);
      })();
      return closing;
    },
  };
  try {
    await ip(['netns', 'add', `${tag}-probe`]).catch((err: unknown) => {
      throw new Error(
        `a multi-host test needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) for \`ip netns add\`: ${(err as Error).message}`,
      );
    });
    await ip(['netns', 'delete', `${tag}-probe`]);
    await ip(['link', 'add', bridge, 'type', 'bridge', 'forward_delay', '0']);
    await ip(['addr', 'add', `${network.bridgeAddress}/24`, 'dev', bridge]);
    await ip(['link', 'set', bridge, 'up']);
    for (const [index, name] of hostNames.entries()) {
      const namespace = `${tag}-${name}`;
      const switchPort = `${tag}h${index}`;
      const inner = `${tag}i${index}`;
      await ip(['netns', 'add', namespace]);
      namespaces.push(namespace);
      await ip(['link', 'add', switchPort, 'type', 'veth', 'peer', 'name', inner]);
      await ip(['link', 'set', switchPort, 'master', bridge]);
      await ip(['link', 'set', switchPort, 'up']);
      await ip(['link', 'set', inner, 'netns', namespace]);
      const inNs = (args: string[]) => ip(['-n', namespace, ...args]);
      await inNs(['link', 'set', inner, 'name', 'eth0']);
      const address = `${subnet}.${index + 1}`;
      await inNs(['addr', 'add', `${address}/24`, 'dev', 'eth0']);
      await inNs(['link', 'set', 'eth0', 'up']);
      await inNs(['link', 'set', 'lo', 'up']);
      hosts.set(name, {
        name,
        namespace,
        address,
        switchPort,
        exec: (command, args) => ['ip', ['netns', 'exec', namespace, command, ...args]],
      });
    }
  } catch (err) {
    await network.close();
    throw err;
  }
  return network;
}
