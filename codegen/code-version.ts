/**
 * Code versions: a node's version hashes its own source, its modifier tags, and the source of
 * every project-local function it calls, transitively. Editing a helper therefore changes the
 * version of every node that reaches it, and the persistent cache re-runs exactly those nodes.
 *
 * Callees are found by resolving call (and `new`) targets and function-valued arguments with the
 * checker, following import aliases; declarations in node_modules or .d.ts files are library code
 * and are versioned by the package, not here. The walk is iterative with a visited set; the
 * direct callees of each declaration are computed once and shared by every node that reaches it.
 */
import { createHash } from 'node:crypto';
import { ts } from 'ts-morph';

export class CodeVersioner {
  private readonly callees = new Map<ts.Node, ts.Node[]>();
  private readonly textHashes = new Map<ts.Node, string>();

  constructor(private readonly checker: ts.TypeChecker) {}

  /**
   * @param decl the node's function (declaration, arrow or function expression)
   * @param salt modifier text and anything else that distinguishes the node
   */
  version(decl: ts.Node, salt: string): string {
    const hash = createHash('sha256');
    hash.update(decl.getText());
    hash.update('\0');
    hash.update(salt);
    const visited = new Set<ts.Node>([decl]);
    const queue: ts.Node[] = [decl];
    for (let i = 0; i < queue.length; i++) {
      for (const callee of this.directCallees(queue[i])) {
        if (visited.has(callee)) continue;
        visited.add(callee);
        queue.push(callee);
        hash.update('\0');
        hash.update(this.textHash(callee));
      }
    }
    return hash.digest('hex').slice(0, 16);
  }

  private textHash(decl: ts.Node): string {
    let h = this.textHashes.get(decl);
    if (h === undefined) {
      h = createHash('sha256').update(decl.getText()).digest('hex');
      this.textHashes.set(decl, h);
    }
    return h;
  }

  /** Project-local declarations called from `decl`'s body, in source order. */
  private directCallees(decl: ts.Node): ts.Node[] {
    const cached = this.callees.get(decl);
    if (cached) return cached;
    const found: ts.Node[] = [];
    const seen = new Set<ts.Node>();
    const add = (expr: ts.Expression) => {
      for (const target of this.resolve(expr)) {
        if (target !== decl && !seen.has(target)) {
          seen.add(target);
          found.push(target);
        }
      }
    };
    const stack: ts.Node[] = [decl];
    while (stack.length) {
      const n = stack.pop()!;
      if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
        add(n.expression);
        for (const arg of n.arguments ?? []) if (ts.isIdentifier(arg) || ts.isPropertyAccessExpression(arg)) add(arg);
      } else if (ts.isTaggedTemplateExpression(n)) {
        add(n.tag);
      }
      // Push children in reverse so they are visited in source order.
      const children: ts.Node[] = [];
      ts.forEachChild(n, (c) => {
        children.push(c);
      });
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
    this.callees.set(decl, found);
    return found;
  }

  private resolve(expr: ts.Expression): ts.Node[] {
    const at = ts.isPropertyAccessExpression(expr) ? expr.name : expr;
    let symbol = this.checker.getSymbolAtLocation(at);
    if (!symbol) return [];
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const out: ts.Node[] = [];
    for (const d of symbol.declarations ?? []) {
      const sf = d.getSourceFile();
      if (sf.isDeclarationFile || sf.fileName.includes('/node_modules/')) continue;
      if (
        ts.isFunctionDeclaration(d) ||
        ts.isMethodDeclaration(d) ||
        ts.isConstructorDeclaration(d) ||
        ts.isGetAccessorDeclaration(d) ||
        ts.isSetAccessorDeclaration(d) ||
        ts.isClassDeclaration(d) ||
        ts.isVariableDeclaration(d)
      ) {
        // Overload signatures have no body; the implementation is among the declarations too.
        if (ts.isFunctionDeclaration(d) && !d.body) continue;
        out.push(d);
      }
    }
    return out;
  }
}
