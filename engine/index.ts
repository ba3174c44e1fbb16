export * from './manifest.ts';
export * from './hooks.ts';
export * from './errors.ts';
export * from './result.ts';
export * from './gate.ts';
export * from './dataflow.ts';
