// The wire vocabulary both sides of the gateway share.
export * from './json-rpc.js';
export * from './eras.js';
export * from './sink.js';
