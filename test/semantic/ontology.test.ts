import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_ONTOLOGIES_DIR, listOntologies, loadOntology, OntologyError, parseOntologyFile } from '../../config/ontology.ts';
import { ontology } from '../../nodes/enrichment/semantic/ontology.ts';

const DOMAINS = ['financial_reporting', 'retail', 'marketing', 'operations', 'healthcare', 'iot'];

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dataraum-ontology-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function errorOf(fn: () => unknown): OntologyError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OntologyError);
    return err as OntologyError;
  }
  throw new Error('expected an OntologyError');
}

const minimal = (name: string, extra = '') => `name: ${name}\ndescription: test ontology ${name}\n${extra}`;

describe('shipped ontologies', () => {
  it('lists base and the six domains, each loading and extending base', () => {
    expect(listOntologies()).toEqual(['base', ...DOMAINS].sort());
    for (const name of DOMAINS) {
      const o = loadOntology(name);
      expect(o.lineage).toEqual([name, 'base']);
      expect(o.builtin).toBe(true);
      const own = parseOntologyFile(readFileSync(join(BUILTIN_ONTOLOGIES_DIR, `${name}.yaml`), 'utf8'));
      expect(own.concepts.length).toBeGreaterThanOrEqual(10);
      expect(own.concepts.length).toBeLessThanOrEqual(25);
      expect(own.metrics.length).toBeGreaterThanOrEqual(5);
      expect(own.quality_rules.length).toBeGreaterThan(3);
      // Every metric names only concepts the resolved ontology defines (checked on load), and lists them.
      for (const m of o.metrics) expect(m.required_concepts.length).toBeGreaterThan(0);
    }
  });

  it('base holds the generic concepts', () => {
    const names = loadOntology('base').concepts.map((c) => c.name);
    for (const c of ['record_id', 'created_at', 'event_time', 'amount', 'quantity', 'name', 'email', 'phone', 'country']) expect(names).toContain(c);
  });

  it('resolves extends: inherited concepts, child overrides by name, child concepts listed first', () => {
    const retail = loadOntology('retail');
    const base = loadOntology('base');
    const byName = new Map(retail.concepts.map((c) => [c.name, c]));
    expect(byName.get('email')).toEqual(base.concepts.find((c) => c.name === 'email')); // inherited unchanged
    expect(byName.get('quantity')!.description).toBe('Units of the product sold on the line or order.'); // overridden
    expect(base.concepts.find((c) => c.name === 'quantity')!.description).toBe('A count of units.');
    expect(retail.concepts.filter((c) => c.name === 'quantity')).toHaveLength(1);
    expect(retail.concepts[0]!.name).toBe('order_id');
    expect(retail.metrics.map((m) => m.name)).toEqual(expect.arrayContaining(['total_amount', 'average_order_value']));
    expect(retail.metrics.find((m) => m.name === 'average_order_value')!.required_concepts).toEqual(['revenue', 'order_id']);
    // Hints: retail's own before base's.
    expect(retail.semanticHints[0]!.patterns).toContain('sku');
    expect(Object.isFrozen(retail.concepts[0])).toBe(true);
  });

  it('the ontology node loads by name, defaulting to base', () => {
    expect(ontology().name).toBe('base');
    expect(ontology('iot').lineage).toEqual(['iot', 'base']);
  });
});

describe('user ontologies and errors', () => {
  it('a user ontology may extend a built-in one and override a metric', () => {
    const dir = dirWith({
      'my_shop.yaml': minimal('my_shop', `extends: retail
concepts:
  - name: loyalty_points
    description: Points earned.
    indicators: ['points', '*_points']
    semantic_role: measure
    value_kind: numeric
metrics:
  - name: average_order_value
    description: AOV over gross revenue.
    formula: 'SUM({revenue}) / COUNT(DISTINCT {order_id})'
    output_type: decimal
  - name: points_per_order
    description: Loyalty points per order.
    formula: 'SUM({loyalty_points}) / NULLIF(COUNT(DISTINCT {order_id}), 0)'
    output_type: decimal
`),
    });
    const o = loadOntology('my_shop', dir);
    expect(o.lineage).toEqual(['my_shop', 'retail', 'base']);
    expect(o.builtin).toBe(false);
    expect(o.metrics.find((m) => m.name === 'average_order_value')!.formula).toBe('SUM({revenue}) / COUNT(DISTINCT {order_id})');
    expect(o.metrics.filter((m) => m.name === 'average_order_value')).toHaveLength(1);
    expect(o.concepts[0]!.name).toBe('loyalty_points');
  });

  it('a cycle in extends is a clear error naming the cycle', () => {
    const dir = dirWith({
      'a.yaml': minimal('a', 'extends: b\n'),
      'b.yaml': minimal('b', 'extends: [base, c]\n'),
      'c.yaml': minimal('c', 'extends: a\n'),
    });
    const err = errorOf(() => loadOntology('a', dir));
    expect(err.message).toContain('cycle: a -> b -> c -> a');
    const self = errorOf(() => loadOntology('s', dirWith({ 's.yaml': minimal('s', 'extends: s\n') })));
    expect(self.message).toContain('cycle: s -> s');
  });

  it('an unknown parent names the ontology that extends it and lists what exists', () => {
    const err = errorOf(() => loadOntology('kid', dirWith({ 'kid.yaml': minimal('kid', 'extends: retial\n') })));
    expect(err.message).toMatch(/Unknown ontology 'retial' \(extended by 'kid'\)/);
    expect(err.message).toContain('retail');
    expect(errorOf(() => loadOntology('nope')).message).toContain("Unknown ontology 'nope'");
  });

  it('schema errors list every problem with its path', () => {
    const err = errorOf(() => loadOntology('bad', dirWith({
      'bad.yaml': minimal('bad', `concepts:
  - name: Revenue
    description: x
    indicators: ['/([unclosed/']
    semantic_role: metric
quality_rules:
  - concept: revenue
    rule_type: range
    params: {}
  - concept: revenue
    rule_type: sometimes
`),
    })));
    const paths = err.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['concepts[0].name', 'concepts[0].indicators[0]', 'concepts[0].semantic_role', 'quality_rules[0].params', 'quality_rules[1].rule_type']));
    expect(err.message).toContain('invalid regex');
    expect(err.file).toMatch(/bad\.yaml$/);
  });

  it('metrics must use concepts that exist and list exactly the ones they use', () => {
    const err = errorOf(() => loadOntology('m', dirWith({
      'm.yaml': minimal('m', `extends: base
metrics:
  - name: ghost
    description: uses an unknown concept
    formula: 'SUM({ghost_amount})'
    output_type: decimal
  - name: mislisted
    description: lists the wrong concepts
    formula: 'SUM({amount})'
    required_concepts: [quantity]
    output_type: decimal
  - name: constant
    description: no concept at all
    formula: 'COUNT(*)'
    output_type: integer
quality_rules:
  - concept: nothing_here
    rule_type: not_null
`),
    })));
    const text = err.issues.map((i) => `${i.path}: ${i.message}`).join('\n');
    expect(text).toContain("metrics.ghost: the formula uses {ghost_amount}, which is not a concept of 'm'");
    expect(text).toContain('metrics.mislisted.required_concepts: {amount} is in the formula but not listed');
    expect(text).toContain("metrics.mislisted.required_concepts: 'quantity' is listed but the formula does not use {quantity}");
    expect(text).toContain('metrics.constant: the formula uses no {concept} placeholder');
    expect(text).toContain("unknown concept 'nothing_here'");
  });

  it('rejects bad YAML, duplicate names and a file whose name disagrees', () => {
    expect(errorOf(() => parseOntologyFile('name: [unclosed', 'x.yaml')).message).toContain('Invalid ontology YAML (x.yaml)');
    const dup = errorOf(() => parseOntologyFile(minimal('d', `concepts:
  - { name: a, description: x, indicators: [a], semantic_role: key }
  - { name: a, description: y, indicators: [b], semantic_role: key }
`)));
    expect(dup.issues[0]).toEqual({ path: 'concepts[1].name', message: "duplicate name 'a'" });
    const mismatch = errorOf(() => loadOntology('one', dirWith({ 'one.yaml': minimal('two') })));
    expect(mismatch.message).toContain("the file is one.yaml but declares name 'two'");
  });
});
