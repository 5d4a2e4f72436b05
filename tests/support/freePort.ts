// Tests reach the free-port finder where the bench keeps it (bench/ may not import tests/).
export { freePort } from '../../bench/freePort.ts';
