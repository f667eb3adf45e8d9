#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on the fly so `npx firebreak` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
