#!/usr/bin/env node
// The `stressgate` command (package.json "bin"): the TypeScript CLI run through tsx's loader, so
// there is no build step and no stale compiled copy. The CLI parses process.argv and sets the exit code.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
