// The resilience suites' shared report: each scenario is merged by suite and name into
// artifacts/resilience-report.json, and artifacts/resilience-report.md is re-rendered from all of them.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
export const REPORT_JSON = join(ARTIFACTS, 'resilience-report.json');
export const REPORT_MD = join(ARTIFACTS, 'resilience-report.md');
/** The goal for every scenario's recovery (fault cleared → flowing again). */
export const RECOVERY_GOAL_MS = 10_000;

export interface ScenarioRecord {
  /** Which suite ran it, e.g. "data path", "camera sources". */
  suite: string;
  name: string;
  passed: boolean;
  /** Fault cleared → queue drained / writes flowing; null where a scenario has no such moment. */
  recoveryMs: number | null;
  figures: Record<string, number | string>;
  notes: string;
}

interface ReportFile {
  updatedAt: string;
  scenarios: Array<ScenarioRecord & { recordedAt: string }>;
}

function readReport(): ReportFile {
  try {
    const parsed = JSON.parse(readFileSync(REPORT_JSON, 'utf8')) as ReportFile;
    if (Array.isArray(parsed.scenarios)) return parsed;
  } catch {
    // absent or unreadable: start a new report
  }
  return { updatedAt: new Date(0).toISOString(), scenarios: [] };
}

/** Written beside and renamed over, so a reader (or a suite running at the same time) never sees half a file. */
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

/** Adds or replaces (same suite and name) a scenario, then re-renders the markdown from the whole report. */
export function recordScenario(record: ScenarioRecord): void {
  const report = readReport();
  const now = new Date().toISOString();
  const others = report.scenarios.filter((s) => !(s.suite === record.suite && s.name === record.name));
  report.scenarios = [...others, { ...record, recordedAt: now }].sort(
    (a, b) => a.suite.localeCompare(b.suite) || a.recordedAt.localeCompare(b.recordedAt),
  );
  report.updatedAt = now;
  writeAtomically(REPORT_JSON, `${JSON.stringify(report, null, 2)}\n`);
  writeAtomically(REPORT_MD, renderMarkdown(report));
}

function cell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderMarkdown(report: ReportFile): string {
  const lines = [
    '# Resilience report',
    '',
    `Faults injected into the real stack, each compared with a fault-free run of the same input. Recovery is the time`,
    `from the fault being cleared to the pipeline flowing again (goal ≤ ${RECOVERY_GOAL_MS / 1000} s). Updated ${report.updatedAt}.`,
    '',
  ];
  const suites = [...new Set(report.scenarios.map((s) => s.suite))];
  for (const suite of suites) {
    lines.push(
      `## ${suite}`,
      '',
      '| scenario | result | recovery ms | figures | notes |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const s of report.scenarios.filter((x) => x.suite === suite)) {
      const figures = Object.entries(s.figures)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ');
      const recovery =
        s.recoveryMs === null
          ? '–'
          : `${Math.round(s.recoveryMs)}${s.recoveryMs > RECOVERY_GOAL_MS ? ' (over goal)' : ''}`;
      lines.push(
        `| ${cell(s.name)} | ${s.passed ? 'pass' : '**FAIL**'} | ${recovery} | ${cell(figures)} | ${cell(s.notes)} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
