// Runs one ffmpeg command (built by ffmpegArgs.ts) through fluent-ffmpeg and owns its process: stdout as a
// stream, stderr line by line, one exit promise, and a stop that escalates SIGTERM → SIGKILL and waits.
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { PassThrough } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import { MediaToolUnavailableError } from '../core/errors.ts';
import type { FfmpegCommandSpec } from './ffmpegArgs.ts';

export interface FfmpegExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when ffmpeg could not be started at all (binary missing, spawn failure). */
  spawnError: Error | null;
}

export interface FfmpegRunOptions {
  ffmpegPath: string;
  onStderrLine: (line: string) => void;
}

export class FfmpegRun {
  /** ffmpeg's stdout (the pipe:1 output). */
  readonly stdout: PassThrough;
  readonly exited: Promise<FfmpegExit>;
  private proc: ChildProcess | null = null;
  private stopRequested = false;
  private hasExited = false;
  private stopping: Promise<FfmpegExit> | null = null;
  private resolveExit!: (exit: FfmpegExit) => void;

  constructor(spec: FfmpegCommandSpec, options: FfmpegRunOptions) {
    const stdout = new PassThrough();
    this.stdout = stdout;
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));

    const missing = missingExecutable(options.ffmpegPath);
    if (missing) {
      // fluent-ffmpeg throws from inside its spawn-error handler; never hand it a binary that is not there.
      queueMicrotask(() => this.finish({ code: null, signal: null, spawnError: missing }));
      return;
    }
    // stdoutLines bounds fluent-ffmpeg's own ring of stderr lines; we read them as they come.
    const command = ffmpeg({ stdoutLines: 20 }).setFfmpegPath(options.ffmpegPath);
    for (const input of spec.inputs) command.input(input.url).inputOptions(input.options);
    command.addOptions(spec.globalOptions);
    for (const output of spec.outputs) {
      if (output.target === 'pipe:1') command.output(stdout, { end: true });
      else command.output(output.target);
      command.outputOptions(output.options);
    }
    command.on('start', () => this.attach(command));
    command.on('stderr', (line: string) => options.onStderrLine(line));
    // fluent-ffmpeg reports a non-zero exit as 'error'; the exit itself is taken from the process.
    command.on('error', (err: Error) => {
      if (!this.proc) this.finish({ code: null, signal: null, spawnError: err });
    });
    command.on('end', () => undefined);
    command.run();
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  private attach(command: ffmpeg.FfmpegCommand): void {
    const proc = (command as unknown as { ffmpegProc?: ChildProcess }).ffmpegProc ?? null;
    if (!proc) return;
    this.proc = proc;
    proc.once('exit', (code, signal) => this.finish({ code, signal, spawnError: null }));
    proc.once('error', (err) => {
      if (proc.pid === undefined) this.finish({ code: null, signal: null, spawnError: err });
    });
    if (this.stopRequested) proc.kill('SIGKILL'); // stop() came while fluent-ffmpeg was still preparing
  }

  private finish(exit: FfmpegExit): void {
    if (this.hasExited) return;
    this.hasExited = true;
    if (!this.stdout.destroyed) this.stdout.end();
    this.resolveExit(exit);
  }

  /** SIGTERM (ffmpeg then closes its outputs properly), SIGKILL after graceMs; resolves once it exited. */
  stop(graceMs: number): Promise<FfmpegExit> {
    if (this.stopping) return this.stopping;
    this.stopRequested = true;
    this.stopping = (async () => {
      if (this.hasExited) return this.exited;
      if (!this.proc) {
        // Not spawned yet: attach() kills it on arrival; the exit promise follows.
        return this.exited;
      }
      this.proc.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const escalate = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          if (!this.hasExited) this.proc?.kill('SIGKILL');
          resolve();
        }, graceMs);
      });
      await Promise.race([this.exited, escalate]);
      clearTimeout(timer);
      return this.exited;
    })();
    return this.stopping;
  }
}

/** An error if `command` (a path, or a name looked up in PATH) is not an executable file. */
function missingExecutable(command: string): Error | null {
  const candidates =
    command.includes('/') || isAbsolute(command)
      ? [command]
      : (process.env.PATH ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((dir) => join(dir, command));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return null;
    } catch {
      // try the next one
    }
  }
  return new MediaToolUnavailableError(`${command}: no such executable`, { field: 'media.ffmpegPath' });
}
