/**
 * dataraum/engine: a typed, checked, Hamilton-style dataflow engine.
 * Nodes are plain functions; parameter names are dependencies.
 */
export * from './manifest.ts';
export * from './hooks.ts';
export * from './errors.ts';
export * from './result.ts';
export * from './gate.ts';
export * from './dataflow.ts';
export { Builder, DriverBuilder } from './builder.ts';
export { Driver, type ExecuteOptions, type FinalVars, type TagFilter, type VariableInfo, type CacheAdapter } from './driver.ts';
export type { NodeInterceptor } from './execution/run-graph.ts';
export type { CompiledGraph, ResolvedCheck, StandardSchemaLike } from './graph/compiled-graph.ts';
export type { ExecutionPlan } from './execution/plan.ts';
export { conditionHolds, type BuildConfig } from './graph/resolve-config.ts';
export { MemoryCheckpointStore, CheckpointError, type CheckpointStore, type CheckpointState, type NewCheckpoint, type StoredCheckpoint, type CheckpointStatus } from './checkpoint/checkpoint-store.ts';
export { serializeValue, deserializeValue, findUnserializable } from './serialize.ts';
export { parseParams } from './runtime/parse-params.ts';
export { ProgressBarHook, type ProgressBarOptions } from './hooks/progress-bar.ts';
export { OpenTelemetryHook } from './hooks/otel-tracer.ts';
export { PersistentCache, type PersistentCacheOptions } from './cache/persistent-cache.ts';
export { FileCacheStore } from './cache/file-cache-store.ts';
export { MemoryCacheStore } from './cache/memory-cache-store.ts';
export type { CacheStore, CacheEntry } from './cache/cache-store.ts';
