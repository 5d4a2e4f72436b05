// Camera leases in Redis: a camera is analysed by exactly one analyzer at a time. A lease is a key holding
// its owner's id with a TTL (SET NX PX), renewed and released only by its owner (compare-and-act Lua), so
// a dead analyzer's cameras are free again within the TTL. Analyzers heartbeat to know their fair share.
import type { Redis } from 'ioredis';
import { redisKeys } from '../core/redis.ts';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
// Redis' own clock, so analyzers on machines whose clocks disagree still agree on who is alive.
const HEARTBEAT = `
local t = redis.call('TIME')
local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], nowMs, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowMs - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 10)
return redis.call('ZCARD', KEYS[1])`;

export class CameraLeases {
  constructor(
    private readonly redis: Redis,
    private readonly redisPrefix: string,
    /** This analyzer's id, the value of the lease keys it holds. */
    readonly ownerId: string,
    private readonly ttlMs: number,
  ) {}

  /** Takes the camera when nobody holds it. */
  async acquire(cameraId: string): Promise<boolean> {
    return (
      (await this.redis.set(redisKeys.lease(this.redisPrefix, cameraId), this.ownerId, 'PX', this.ttlMs, 'NX')) === 'OK'
    );
  }

  /** Extends a lease this analyzer still holds; false when it was lost (expired, or taken by another). */
  async renew(cameraId: string): Promise<boolean> {
    return (
      (await this.redis.eval(RENEW, 1, redisKeys.lease(this.redisPrefix, cameraId), this.ownerId, this.ttlMs)) === 1
    );
  }

  /** Gives the camera up, only if this analyzer holds it. */
  async release(cameraId: string): Promise<boolean> {
    return (await this.redis.eval(RELEASE, 1, redisKeys.lease(this.redisPrefix, cameraId), this.ownerId)) === 1;
  }

  async ownerOf(cameraId: string): Promise<string | null> {
    return this.redis.get(redisKeys.lease(this.redisPrefix, cameraId));
  }

  /** Says this analyzer is alive; returns how many analyzers are (heartbeat within the lease TTL). */
  async heartbeat(): Promise<number> {
    return Number(await this.redis.eval(HEARTBEAT, 1, redisKeys.analyzers(this.redisPrefix), this.ownerId, this.ttlMs));
  }

  /** Leaves the membership at once (clean shutdown), so the others' shares grow without waiting for the TTL. */
  async leave(): Promise<void> {
    await this.redis.zrem(redisKeys.analyzers(this.redisPrefix), this.ownerId);
  }
}

/** Cameras one analyzer should hold at most: ceil(cameras / live analyzers). */
export function fairShare(cameraCount: number, liveAnalyzers: number): number {
  return Math.ceil(cameraCount / Math.max(1, liveAnalyzers));
}
