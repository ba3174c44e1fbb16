/**
 * Finds the schema a `@check` names: exported by the function's own file, or imported into it
 * from a project file that exports it. The manifest records the module that exports it, so the
 * engine can load the schema by name.
 */
import { Node, type SourceFile } from 'ts-morph';
import { importPath } from '../paths.ts';

export type SchemaResolver = (name: string) => { readonly module: string; readonly exportName: string } | undefined;

export function schemaResolver(sf: SourceFile, manifestDir: string): SchemaResolver {
  const cache = new Map<string, ReturnType<SchemaResolver>>();
  return (name) => {
    if (!cache.has(name)) cache.set(name, find(sf, name, manifestDir));
    return cache.get(name);
  };
}

function exportsValue(sf: SourceFile, name: string): boolean {
  const decls = sf.getExportedDeclarations().get(name);
  return !!decls?.some((d) => !Node.isInterfaceDeclaration(d) && !Node.isTypeAliasDeclaration(d));
}

function find(sf: SourceFile, name: string, manifestDir: string) {
  if (exportsValue(sf, name)) return { module: importPath(manifestDir, sf.getFilePath()), exportName: name };
  for (const imp of sf.getImportDeclarations()) {
    if (imp.isTypeOnly()) continue;
    for (const spec of imp.getNamedImports()) {
      const local = spec.getAliasNode()?.getText() ?? spec.getName();
      if (local !== name || spec.isTypeOnly()) continue;
      const target = imp.getModuleSpecifierSourceFile();
      if (!target || target.getFilePath().includes('/node_modules/')) return undefined;
      return exportsValue(target, spec.getName()) ? { module: importPath(manifestDir, target.getFilePath()), exportName: spec.getName() } : undefined;
    }
  }
  return undefined;
}
