/**
 * Turns one exported function and its modifiers into nodes: the function itself (or one node per
 * `@parameterize` tag), typed as a gate when `@gate`, plus one extract node per field when
 * `@extract_fields`. Modifiers apply in a fixed order (resolve -> create -> expand), like Hamilton.
 */
import { ts } from 'ts-morph';
import type { Binding } from '../../engine/index.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import type { Modifiers } from '../modifiers/index.ts';
import type { FunctionInfo, ParamInfo } from '../scan/collect-functions.ts';
import { literalFits } from '../check/bound-values.ts';
import { typeText } from '../scan/type-text.ts';
import { variantBase, type DepDraft, type NodeDraft, type TypeRef } from './node-draft.ts';

export interface ExpandContext {
  readonly checker: ts.TypeChecker;
  readonly sink: DiagnosticSink;
}

export function expandFunction(info: FunctionInfo, params: readonly ParamInfo[], mods: Modifiers, doc: string, ctx: ExpandContext): NodeDraft[] {
  const enclosing = info.fn.compilerNode;
  const at = info.location;
  let valueType = info.valueType;
  let typeRef: TypeRef = { kind: 'return', module: info.module, fn: info.exportName };
  if (mods.gate) {
    const answer = gateValueType(info.valueType, ctx.checker);
    if (!answer) {
      ctx.sink.report(
        'GATE_RETURN',
        { file: at.file, line: mods.gate.tag.line },
        `'${info.exportName}' is a @gate but returns \`${typeText(ctx.checker, info.valueType, enclosing)}\`; a gate must return GateOutcome<A> (use gate.pass(value) or gate.review(items) from engine/gate.ts)`,
        info.exportName,
      );
      return [];
    }
    valueType = answer;
    typeRef = { kind: 'gate', module: info.module, fn: info.exportName };
  }
  const valueText = typeText(ctx.checker, valueType, enclosing);
  const common = {
    kind: mods.gate ? ('gate' as const) : ('function' as const),
    module: info.module,
    fn: info.exportName,
    type: valueText,
    doc,
    tags: mods.tags,
    checks: mods.checks,
    when: mods.when,
    cache: mods.cache ?? 'default',
    ...(mods.gate ? { gate: mods.gate.type } : {}),
    async: info.async,
    valueType,
    typeRef,
    info,
    codeVersion: '',
  };
  const salt = mods.text.join('\n');

  const nodes: NodeDraft[] = [];
  if (mods.parameterize.length === 0) {
    nodes.push({ ...common, name: variantBase(info.exportName), deps: params.map((p) => depOf(p, p.name)), source: at, versionSalt: salt });
  } else {
    const byName = new Map(params.map((p) => [p.name, p]));
    for (const spec of mods.parameterize) {
      const unknown = [...spec.bindings.keys()].filter((k) => !byName.has(k));
      if (unknown.length) {
        ctx.sink.report(
          'PARAMETERIZE',
          { file: at.file, line: spec.tag.line },
          `@parameterize ${spec.name} binds ${unknown.map((u) => `'${u}'`).join(', ')}, which '${info.exportName}' has no parameter named; its parameters are ${params.map((p) => `'${p.name}'`).join(', ') || '(none)'}`,
          spec.name,
        );
        continue;
      }
      const deps: DepDraft[] = [];
      const bound: Record<number, unknown> = {};
      for (const p of params) {
        const b: Binding | undefined = spec.bindings.get(p.name);
        if (b && 'value' in b) {
          bound[p.index] = b.value;
          if (!literalFits(b.value, p.type, ctx.checker)) {
            ctx.sink.report(
              'TYPE_MISMATCH',
              { file: at.file, line: spec.tag.line },
              `@parameterize ${spec.name} binds ${p.name}=${JSON.stringify(b.value)}, but parameter '${p.name}' of '${info.exportName}' is \`${p.typeText}\`; bind a value of that type`,
              spec.name,
            );
          }
        } else deps.push(depOf(p, b ? b.node : p.name));
      }
      nodes.push({
        ...common,
        name: variantBase(spec.name),
        deps,
        ...(Object.keys(bound).length ? { bound } : {}),
        source: { file: at.file, line: spec.tag.line },
        versionSalt: `${salt}\n@parameterize-node ${spec.tag.text}`,
      });
    }
  }

  if (!mods.extract) return nodes;
  const extract = mods.extract;
  const isObject = (valueType.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) !== 0 && !ctx.checker.isArrayType(valueType);
  if (!isObject) {
    ctx.sink.report(
      'EXTRACT_FIELDS',
      { file: at.file, line: extract.tag.line },
      `@extract_fields on '${info.exportName}' needs an object result, but it produces \`${valueText}\`; return an object (e.g. \`{ a: ..., b: ... }\`) or remove the tag`,
      info.exportName,
    );
    return nodes;
  }
  const fields = extract.fields ?? ctx.checker.getPropertiesOfType(valueType).map((p) => p.getName());
  const out: NodeDraft[] = [];
  for (const src of nodes) {
    out.push(src);
    for (const field of fields) {
      const prop = ctx.checker.getPropertyOfType(valueType, field);
      if (!prop) {
        if (src === nodes[0]) {
          const have = ctx.checker.getPropertiesOfType(valueType).map((p) => `'${p.getName()}'`);
          ctx.sink.report(
            'EXTRACT_FIELDS',
            { file: at.file, line: extract.tag.line },
            `@extract_fields on '${info.exportName}' names field '${field}', but its result \`${valueText}\` has no such property; it has ${have.join(', ') || 'none'}`,
            info.exportName,
          );
        }
        continue;
      }
      const fieldType = ctx.checker.getTypeOfSymbolAtLocation(prop, enclosing);
      out.push({
        ...common,
        kind: 'extract',
        name: field,
        deps: [{ name: src.name, param: src.name, optional: false, type: valueText, paramType: undefined, paramIndex: 0, location: src.source }],
        field,
        type: typeText(ctx.checker, fieldType, enclosing),
        doc: `Field '${field}' of ${src.name}.`,
        checks: [],
        async: false,
        valueType: fieldType,
        typeRef: { kind: 'field', of: typeRef, field },
        source: { file: at.file, line: extract.tag.line },
        versionSalt: `${src.versionSalt}\n@extract-field ${src.name}.${field}`,
      });
    }
  }
  return out;
}

function depOf(p: ParamInfo, name: string): DepDraft {
  return { name, param: p.name, optional: p.optional, type: p.typeText, paramType: p.type, paramIndex: p.index, location: p.location };
}

/** `A` for `GateOutcome<A>`; undefined when the type is not a GateOutcome. */
function gateValueType(type: ts.Type, checker: ts.TypeChecker): ts.Type | undefined {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  if (symbol?.getName() !== 'GateOutcome') return undefined;
  if (type.flags & ts.TypeFlags.Object && (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) {
    const [arg] = checker.getTypeArguments(type as ts.TypeReference);
    if (arg) return arg;
  }
  const value = checker.getPropertyOfType(type, 'value');
  return value ? checker.getNonNullableType(checker.getTypeOfSymbol(value)) : undefined;
}
