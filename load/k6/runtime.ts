// What moved between k6 releases (timers, WebSockets), behind one import. This file only declares the
// shapes: the bundler (src/k6-script/bundle.ts) replaces it with the real module names of the k6
// generation it bundles for (src/k6-script/generations.ts). Nothing in load/ may use a timer global
// directly: k6 v0.48 has none, and a bare setTimeout there is a ReferenceError in every iteration.
import type { WebSocket as K6WebSocket } from 'k6/websockets';

export declare function setTimeout(fn: () => void, ms: number): number;
export declare function clearTimeout(id: number): void;
export declare const WebSocket: typeof K6WebSocket;
