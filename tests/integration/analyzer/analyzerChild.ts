// An analyzer in a process of its own, so a test can SIGKILL it mid-stream like a crashed machine.
// Config arrives whole as JSON (validated again here); prints "ready" once it has started.
import { validateConfig } from '../../../core/config.ts';
import { createLogger } from '../../../core/logger.ts';
import { startAnalyzerProcess } from '../../../analyzer/process.ts';

const config = validateConfig(JSON.parse(process.env.ANALYZER_CONFIG ?? '{}') as Record<string, unknown>);
const logger = createLogger({ level: 'warn', name: 'analyzer-child', destination: process.stderr as never });
const analyzer = await startAnalyzerProcess(config, logger, { analyzerId: process.env.ANALYZER_ID });
process.stdout.write(`ready ${analyzer.analyzerId}\n`);
const stop = () => void analyzer.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The test runner holds our stdin: when it goes away (even killed), so do we, never left behind.
process.stdin.on('close', stop);
process.stdin.resume();
