#!/usr/bin/env node
// Builds the web UI (web/) with Vite into web/dist, which the server serves at `/`.
import { build } from 'vite';

const configFile = new URL('../web/vite.config.ts', import.meta.url).pathname;
const started = Date.now();
await build({ configFile, logLevel: 'warn' });
console.log(`build: web/dist ready (${Date.now() - started} ms)`);
