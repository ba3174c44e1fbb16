/**
 * `@parameterize` literal bindings are checked against the parameter type too: the checker cannot
 * type a JSON value directly, so primitives become literal types and arrays/objects are walked.
 */
import { ts } from 'ts-morph';

export function literalFits(value: unknown, target: ts.Type, checker: ts.TypeChecker): boolean {
  if (target.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
  if (target.flags & ts.TypeFlags.Union) return (target as ts.UnionType).types.some((t) => literalFits(value, t, checker));
  if (target.flags & ts.TypeFlags.Intersection) return (target as ts.IntersectionType).types.every((t) => literalFits(value, t, checker));
  if (value === null) return checker.isTypeAssignableTo(checker.getNullType(), target);
  switch (typeof value) {
    case 'boolean':
      return checker.isTypeAssignableTo(value ? checker.getTrueType() : checker.getFalseType(), target);
    case 'number':
      return checker.isTypeAssignableTo(checker.getNumberLiteralType(value), target);
    case 'string':
      return checker.isTypeAssignableTo(checker.getStringLiteralType(value), target);
  }
  if (Array.isArray(value)) {
    if (checker.isTupleType(target)) {
      const elements = checker.getTypeArguments(target as ts.TypeReference);
      return value.length <= elements.length && elements.every((t, i) => (i < value.length ? literalFits(value[i], t, checker) : checker.isTypeAssignableTo(checker.getUndefinedType(), t)));
    }
    if (checker.isArrayType(target)) {
      const [element] = checker.getTypeArguments(target as ts.TypeReference);
      return value.every((v) => literalFits(v, element, checker));
    }
    return false;
  }
  if (typeof value === 'object' && target.flags & ts.TypeFlags.Object && !checker.isArrayType(target)) {
    const record = value as Record<string, unknown>;
    const stringIndex = checker.getIndexTypeOfType(target, ts.IndexKind.String);
    for (const [key, v] of Object.entries(record)) {
      const prop = checker.getPropertyOfType(target, key);
      const type = prop ? checker.getTypeOfSymbol(prop) : stringIndex;
      if (!type || !literalFits(v, type, checker)) return false;
    }
    return checker
      .getPropertiesOfType(target)
      .every((p) => p.getName() in record || (p.flags & ts.SymbolFlags.Optional) !== 0);
  }
  return false;
}
