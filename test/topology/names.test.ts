import { describe, expect, it } from 'vitest';
import { _columnParts, _isOwnKeyName, _keyness, _nameScore, _singular, _tableStem, _tokens } from '../../nodes/enrichment/topology/names.ts';

describe('name evidence', () => {
  it('splits snake, camel and glued names into tokens and singular stems', () => {
    expect(_tokens('CustomerID')).toEqual(['customer', 'id']);
    expect(_tokens('SupportRepId')).toEqual(['support', 'rep', 'id']);
    expect(_tokens('order-items')).toEqual(['order', 'items']);
    expect(['categories', 'people', 'addresses', 'statuses', 'status', 'boxes', 'movies', 'employees'].map(_singular))
      .toEqual(['category', 'person', 'address', 'status', 'status', 'box', 'movie', 'employee']);
    expect(_tableStem('lookup_people')).toEqual(['person']);
    expect(_tableStem('dim_customers')).toEqual(['customer']);
    expect(_columnParts('fk_customer').stem).toEqual(['customer']);
    expect(_columnParts('customerid')).toMatchObject({ stem: ['customer'], keyShaped: true });
    expect(_columnParts('country_code')).toMatchObject({ stem: ['country'], keyShaped: true });
  });

  it('scores the documented examples', () => {
    expect(_nameScore('orders', 'customer_id', 'customers', 'id', 1)).toEqual({ score: 1, rule: 'stem=table' });
    expect(_nameScore('orders', 'cust_id', 'customer', 'customer_id', 1)).toEqual({ score: 0.85, rule: 'abbreviation' });
    expect(_nameScore('flights', 'origin', 'airports', 'iata', 0.85)).toEqual({ score: 0, rule: null });
    expect(_nameScore('Invoice', 'CustomerId', 'Customer', 'CustomerId', 1).score).toBe(1);
    expect(_nameScore('employees', 'manager_id', 'employees', 'id', 1).rule).toBe('role:manager->employees');
    expect(_nameScore('categories', 'parent_id', 'categories', 'id', 1).rule).toBe('role:parent->self');
    expect(_nameScore('categories', 'parent_id', 'products', 'id', 1).score).toBe(0);
    expect(_nameScore('orders', 'billing_customer_id', 'customers', 'id', 1)).toEqual({ score: 0.8, rule: 'role+table' });
    expect(_nameScore('routes', 'airport_iata', 'airports', 'iata', 0.85).rule).toBe('table+column');
    expect(_nameScore('orders', 'o_custkey', 'customer', 'c_custkey', 1)).toEqual({ score: 1, rule: 'same-key-name' });
    expect(_nameScore('orders', 'o_custkey', 'customer', 'id', 1)).toEqual({ score: 0.85, rule: 'abbreviation' });
    expect(_nameScore('Orders', 'ShipVia', 'Shippers', 'ShipperID', 1).score).toBeCloseTo(0.765, 6);
    expect(_nameScore('film_category', 'category_id', 'film_category', 'film_id', 0.85).score).toBe(0);
  });

  it('gives same-name columns credit only when the referenced one is its table\'s key', () => {
    // zip_code in stores is unique but not the stores key: a shared zip code is no reference.
    expect(_keyness('zip_code', 'stores', 3)).toBe(0.5);
    expect(_nameScore('customers', 'zip_code', 'stores', 'zip_code', 0.5).score).toBe(0);
    expect(_nameScore('customers', 'city', 'stores', 'city', 0.4).score).toBe(0);
    // Shared attributes named alike (`date`, `year`) in a table's first column are not references either.
    expect(_nameScore('stocks', 'date', 'sp500', 'date', 0.85).score).toBe(0);
    expect(_nameScore('disasters', 'Year', 'global_temp', 'year', 0.85).score).toBe(0);
    expect(_nameScore('routes', 'iata_code', 'airports', 'iata', 0.85)).toEqual({ score: 0.7, rule: 'same-stem' });
    // A natural key's own name is some evidence.
    expect(_nameScore('copies', 'isbn', 'books', 'isbn', 0.85)).toEqual({ score: 0.6, rule: 'same-name' });
    expect(_keyness('id', 'stores', 2)).toBe(1);
    expect(_keyness('StoreId', 'Store', 3)).toBe(1);
    expect(_keyness('iata', 'airports', 0)).toBe(0.85);
  });

  it('reads a graph\'s edge ends as references to its node table, and only there', () => {
    expect(_nameScore('links', 'source', 'nodes', 'id', 1)).toEqual({ score: 0.85, rule: 'edge->node' });
    expect(_nameScore('graph_edges', 'from_node', 'graph_vertices', 'index', 0.6)).toEqual({ score: 0.85, rule: 'edge->node' });
    expect(_nameScore('edges', 'dst_id', 'nodes', 'node_id', 1).rule).toBe('edge->node');
    // Not an edge table, not a node table, or a parent named for an attribute.
    expect(_nameScore('orders', 'source', 'nodes', 'id', 1).score).toBe(0);
    expect(_nameScore('links', 'target', 'customers', 'id', 1).score).toBe(0);
    expect(_nameScore('links', 'source', 'nodes', 'name', 0.4).score).toBe(0);
    expect(_nameScore('links', 'value', 'nodes', 'id', 1).score).toBe(0);
  });

  it('recognizes a table\'s own key, which never references anything', () => {
    expect(_isOwnKeyName('id', 'orders')).toBe(true);
    expect(_isOwnKeyName('order_id', 'orders')).toBe(true);
    expect(_isOwnKeyName('customer_id', 'orders')).toBe(false);
    expect(_isOwnKeyName('customer_id', 'customer_profiles')).toBe(false);
  });
});
