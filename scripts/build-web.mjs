#!/usr/bin/env node
// Builds the web UI into web/dist, which the server serves at `/`.
// Until the React app lands, the UI is the static page in web/public.
import { cpSync, mkdirSync, rmSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
rmSync(`${root}web/dist`, { recursive: true, force: true });
mkdirSync(`${root}web/dist`, { recursive: true });
cpSync(`${root}web/public`, `${root}web/dist`, { recursive: true });
console.log('build: web/dist ready');
