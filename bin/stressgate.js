#!/usr/bin/env node
// The `stressgate` command (package.json "bin"): the TypeScript CLI run through tsx's loader, so
// there is no build step and no stale compiled copy. The CLI parses process.argv and sets the exit code.
// Before `npm ci` there is no tsx: say so in one line rather than with Node's resolution stack.
let tsx;
try {
  tsx = await import('tsx/esm/api');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' && err?.code !== 'MODULE_NOT_FOUND') throw err;
  console.error('stressgate: run `npm ci` first (the CLI runs TypeScript with tsx, which is not installed)');
  process.exit(2);
}
tsx.register();
await import('../src/cli.ts');
