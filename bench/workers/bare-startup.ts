/*
 * The floor under bench/all.ts's worker start-up row: a bare Node worker that posts
 * one message to its parent and ends, loading nothing of memplay's. What is left
 * is Node's own cost of a worker (a V8 isolate, Node's bootstrap, the ESM loader).
 * Compiled to dist/bench/workers/bare-startup.js.
 */
import { parentPort } from 'node:worker_threads';

parentPort?.postMessage(0);
