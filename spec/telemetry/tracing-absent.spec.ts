import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('tracing without @opentelemetry/api installed', () => {
  it('looks for it once, then calls run untraced: no tracer installed, no traceparent sent', async function () {
    this.timeout(60_000);
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import', 'tsx', '--import', './spec/helpers/no-opentelemetry.mjs', 'spec/telemetry/absent-child.ts',
    ], { cwd: root });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result).to.deep.equal({
      values: ['the-value', 'the-value', 'the-value'],
      tracer: false,
      loading: false,
      lookups: ['@opentelemetry/api'],
      traceparents: [null, null, null, null],
    });
  });
});
