/**
 * Realistic multi-table schemas generated in DuckDB with DECLARED foreign keys (DuckDB enforces
 * them on insert), so the expected relationships are read from `duckdb_constraints()` rather than
 * listed by hand. Each schema carries decoys that a naive inclusion test would take for foreign
 * keys: month numbers, ratings 1-5, 0/1 and boolean flags, years, zip codes shared with a unique
 * column, small lookup tables, and a column named `id` in most tables.
 *
 * Data are deterministic (DuckDB `hash` of the row number, no random()), a few thousand rows each.
 */
import type { DuckDBConnection } from '../../nodes/duckdb.ts';
import { _duckdbForeignKeys, type ForeignKeyRef } from '../../nodes/enrichment/topology/evaluate.ts';

export interface GeneratedSchema {
  readonly name: string;
  /** Logical table names; the DuckDB tables are `typed_<name>`. */
  readonly tables: readonly string[];
}

/** `h(i, k)`: a deterministic pseudo-random integer in [0, n) for row i of stream k. */
const h = (i: string, k: number, n: number) => `CAST(hash(CAST(${i} AS BIGINT) * 1000003 + ${k}) % ${n} AS INTEGER)`;

/** Retail: categories (self-reference), stores, payment methods, employees (manager), customers, products, orders, order items (composite key), returns (composite FK). */
export async function retailSchema(conn: DuckDBConnection): Promise<GeneratedSchema> {
  await conn.run(`
    CREATE TABLE typed_categories (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, parent_id INTEGER REFERENCES typed_categories(id));
    INSERT INTO typed_categories SELECT i, 'Category ' || i, NULL FROM range(1, 5) t(i);
    INSERT INTO typed_categories SELECT i, 'Category ' || i, 1 + i % 4 FROM range(5, 17) t(i);

    CREATE TABLE typed_stores (store_id INTEGER PRIMARY KEY, name VARCHAR, city VARCHAR UNIQUE, zip_code VARCHAR UNIQUE, opened_year INTEGER);
    INSERT INTO typed_stores SELECT i, 'Store ' || i, 'City ' || i, '9810' || i, 1998 + 3 * i FROM range(1, 7) t(i);

    CREATE TABLE typed_payment_methods (id INTEGER PRIMARY KEY, name VARCHAR UNIQUE);
    INSERT INTO typed_payment_methods VALUES (1, 'cash'), (2, 'card'), (3, 'voucher'), (4, 'mobile');

    CREATE TABLE typed_employees (employee_id INTEGER PRIMARY KEY, full_name VARCHAR, store_id INTEGER REFERENCES typed_stores(store_id),
      manager_id INTEGER REFERENCES typed_employees(employee_id), hire_year INTEGER, is_fulltime BOOLEAN, rating INTEGER);
    INSERT INTO typed_employees SELECT i, 'Employee ' || i, i, NULL, 2005 + i, true, 5 FROM range(1, 7) t(i);
    INSERT INTO typed_employees SELECT i, 'Employee ' || i, 1 + i % 6, 1 + i % 6, 2005 + ${h('i', 1, 18)}, ${h('i', 2, 3)} > 0, 1 + ${h('i', 3, 5)} FROM range(7, 41) t(i);

    CREATE TABLE typed_customers (id INTEGER PRIMARY KEY, email VARCHAR UNIQUE, city VARCHAR, zip_code VARCHAR, birth_year INTEGER,
      loyalty_tier INTEGER, is_member BOOLEAN, newsletter INTEGER, home_store_id INTEGER REFERENCES typed_stores(store_id));
    INSERT INTO typed_customers SELECT i, 'c' || i || '@example.com', 'City ' || (1 + ${h('i', 4, 6)}), '9810' || (1 + ${h('i', 4, 6)}),
      1950 + ${h('i', 5, 56)}, 1 + ${h('i', 6, 4)}, ${h('i', 7, 2)} = 1, ${h('i', 8, 2)}, 1 + ${h('i', 9, 6)} FROM range(1, 601) t(i);

    CREATE TABLE typed_products (id INTEGER PRIMARY KEY, sku VARCHAR UNIQUE, name VARCHAR, category_id INTEGER REFERENCES typed_categories(id),
      price DECIMAL(10, 2), rating INTEGER, launch_year INTEGER, discontinued BOOLEAN, stock INTEGER);
    INSERT INTO typed_products SELECT i, 'SKU-' || lpad(CAST(i AS VARCHAR), 5, '0'), 'Product ' || i, 5 + ${h('i', 10, 12)},
      (1 + ${h('i', 11, 20000)}) / 100.0, 1 + ${h('i', 12, 5)}, 2010 + ${h('i', 13, 15)}, ${h('i', 14, 10)} = 0, ${h('i', 15, 400)} FROM range(1, 251) t(i);

    CREATE TABLE typed_orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES typed_customers(id), store_id INTEGER REFERENCES typed_stores(store_id),
      cashier_id INTEGER REFERENCES typed_employees(employee_id), payment_method_id INTEGER REFERENCES typed_payment_methods(id),
      order_date DATE, order_month INTEGER, priority INTEGER, total DOUBLE);
    INSERT INTO typed_orders SELECT i, 1 + ${h('i', 16, 600)}, 1 + ${h('i', 17, 6)}, 7 + ${h('i', 18, 34)}, 1 + ${h('i', 19, 4)},
      DATE '2023-01-01' + ${h('i', 20, 365)}, month(DATE '2023-01-01' + ${h('i', 20, 365)}), 1 + ${h('i', 21, 3)}, ${h('i', 22, 50000)} / 100.0 FROM range(1, 3001) t(i);

    CREATE TABLE typed_order_items (order_id INTEGER REFERENCES typed_orders(id), line_no INTEGER, product_id INTEGER REFERENCES typed_products(id),
      quantity INTEGER, unit_price DOUBLE, PRIMARY KEY (order_id, line_no));
    INSERT INTO typed_order_items SELECT o.i, l.n, 1 + ${h('o.i * 7 + l.n', 23, 250)}, 1 + ${h('o.i * 7 + l.n', 24, 10)}, 1 + ${h('o.i * 7 + l.n', 25, 9900)} / 100.0
      FROM range(1, 3001) o(i), range(1, 4) l(n) WHERE l.n <= 1 + ${h('o.i', 26, 3)};

    CREATE TABLE typed_returns (id INTEGER PRIMARY KEY, order_id INTEGER, line_no INTEGER, reason VARCHAR, days_after INTEGER,
      FOREIGN KEY (order_id, line_no) REFERENCES typed_order_items(order_id, line_no));
    INSERT INTO typed_returns SELECT row_number() OVER (ORDER BY order_id, line_no), order_id, line_no, 'reason ' || (1 + ${h('order_id', 27, 5)}), 1 + ${h('order_id', 28, 30)}
      FROM typed_order_items WHERE ${h('order_id * 7 + line_no', 29, 20)} = 0;
  `);
  return { name: 'retail', tables: ['categories', 'stores', 'payment_methods', 'employees', 'customers', 'products', 'orders', 'order_items', 'returns'] };
}

/** HR, shaped like the MySQL `employees` sample: string department keys, a bridge table, history tables keyed by (emp_no, from_date). */
export async function hrSchema(conn: DuckDBConnection): Promise<GeneratedSchema> {
  await conn.run(`
    CREATE TABLE typed_departments (dept_no VARCHAR PRIMARY KEY, dept_name VARCHAR UNIQUE);
    INSERT INTO typed_departments SELECT 'd00' || i, 'Department ' || i FROM range(1, 10) t(i);

    CREATE TABLE typed_employees (emp_no INTEGER PRIMARY KEY, birth_date DATE, first_name VARCHAR, last_name VARCHAR, gender VARCHAR, hire_date DATE);
    INSERT INTO typed_employees SELECT 10000 + i, DATE '1955-01-01' + ${h('i', 1, 7000)}, 'First' || ${h('i', 2, 300)}, 'Last' || ${h('i', 3, 500)},
      CASE WHEN ${h('i', 4, 2)} = 0 THEN 'M' ELSE 'F' END, DATE '1985-01-01' + ${h('i', 5, 5000)} FROM range(1, 801) t(i);

    CREATE TABLE typed_dept_emp (emp_no INTEGER REFERENCES typed_employees(emp_no), dept_no VARCHAR REFERENCES typed_departments(dept_no),
      from_date DATE, to_date DATE, PRIMARY KEY (emp_no, dept_no));
    INSERT INTO typed_dept_emp SELECT emp_no, 'd00' || (1 + ${h('emp_no', 6, 9)}), hire_date, DATE '9999-01-01' FROM typed_employees;
    INSERT INTO typed_dept_emp SELECT emp_no, 'd00' || (1 + (${h('emp_no', 6, 9)} + 1) % 9), hire_date + 400, DATE '9999-01-01' FROM typed_employees WHERE ${h('emp_no', 7, 10)} = 0;

    CREATE TABLE typed_dept_manager (emp_no INTEGER REFERENCES typed_employees(emp_no), dept_no VARCHAR REFERENCES typed_departments(dept_no),
      from_date DATE, to_date DATE, PRIMARY KEY (emp_no, dept_no));
    -- Managers work in the department they manage (as in the real sample): dept_manager's key pairs are a subset of dept_emp's.
    INSERT INTO typed_dept_manager SELECT emp_no, dept_no, from_date, to_date FROM typed_dept_emp WHERE ${h('emp_no', 11, 30)} = 0;

    CREATE TABLE typed_salaries (emp_no INTEGER REFERENCES typed_employees(emp_no), salary INTEGER, from_date DATE, to_date DATE, PRIMARY KEY (emp_no, from_date));
    INSERT INTO typed_salaries SELECT emp_no, 40000 + ${h('emp_no * 13 + y', 8, 60000)}, hire_date + CAST(365 * y AS INTEGER), hire_date + CAST(365 * (y + 1) AS INTEGER)
      FROM typed_employees, range(0, 4) t(y) WHERE y <= ${h('emp_no', 9, 4)};

    CREATE TABLE typed_titles (emp_no INTEGER REFERENCES typed_employees(emp_no), title VARCHAR, from_date DATE, to_date DATE, PRIMARY KEY (emp_no, title, from_date));
    INSERT INTO typed_titles SELECT emp_no, CASE ${h('emp_no', 10, 4)} WHEN 0 THEN 'Engineer' WHEN 1 THEN 'Staff' WHEN 2 THEN 'Manager' ELSE 'Assistant' END, hire_date, DATE '9999-01-01' FROM typed_employees;
  `);
  return { name: 'hr', tables: ['departments', 'employees', 'dept_emp', 'dept_manager', 'salaries', 'titles'] };
}

/** Healthcare: sparse patient ids, a composite key (patient_id, visit_no) referenced by lab results, role-named physician references, small code tables. */
export async function healthcareSchema(conn: DuckDBConnection): Promise<GeneratedSchema> {
  await conn.run(`
    CREATE TABLE typed_physicians (id INTEGER PRIMARY KEY, name VARCHAR, specialty VARCHAR);
    INSERT INTO typed_physicians SELECT i, 'Dr ' || i, 'Specialty ' || (1 + ${h('i', 1, 6)}) FROM range(1, 31) t(i);

    CREATE TABLE typed_wards (ward_code VARCHAR PRIMARY KEY, floor INTEGER, beds INTEGER);
    INSERT INTO typed_wards SELECT 'W' || lpad(CAST(i AS VARCHAR), 2, '0'), 1 + i // 3, 10 + ${h('i', 2, 20)} FROM range(1, 9) t(i);

    CREATE TABLE typed_lab_tests (code VARCHAR PRIMARY KEY, name VARCHAR, unit VARCHAR);
    INSERT INTO typed_lab_tests VALUES ('GLU', 'Glucose', 'mg/dL'), ('HGB', 'Hemoglobin', 'g/dL'), ('WBC', 'White cells', '10^9/L'), ('PLT', 'Platelets', '10^9/L'),
      ('NA', 'Sodium', 'mmol/L'), ('K', 'Potassium', 'mmol/L'), ('CRE', 'Creatinine', 'mg/dL'), ('ALT', 'ALT', 'U/L'), ('AST', 'AST', 'U/L'), ('TSH', 'TSH', 'mIU/L'),
      ('CRP', 'CRP', 'mg/L'), ('LDL', 'LDL', 'mg/dL');

    CREATE TABLE typed_patients (patient_id INTEGER PRIMARY KEY, mrn VARCHAR UNIQUE, birth_year INTEGER, sex VARCHAR, zip VARCHAR,
      primary_physician_id INTEGER REFERENCES typed_physicians(id), deceased BOOLEAN);
    INSERT INTO typed_patients SELECT 100000 + 7 * i + ${h('i', 3, 5)}, 'MRN' || (500000 + i), 1930 + ${h('i', 4, 90)}, CASE WHEN ${h('i', 5, 2)} = 0 THEN 'F' ELSE 'M' END,
      CAST(10000 + ${h('i', 6, 80000)} AS VARCHAR), CASE WHEN ${h('i', 7, 10)} = 0 THEN NULL ELSE 1 + ${h('i', 8, 30)} END, ${h('i', 9, 50)} = 0 FROM range(1, 701) t(i);

    CREATE TABLE typed_visits (patient_id INTEGER REFERENCES typed_patients(patient_id), visit_no INTEGER, visit_date DATE,
      attending_id INTEGER REFERENCES typed_physicians(id), ward VARCHAR REFERENCES typed_wards(ward_code), pain_score INTEGER, PRIMARY KEY (patient_id, visit_no));
    INSERT INTO typed_visits SELECT p.patient_id, v.n, DATE '2022-01-01' + ${h('p.patient_id * 5 + v.n', 10, 700)}, 1 + ${h('p.patient_id * 5 + v.n', 11, 30)},
      'W0' || (1 + ${h('p.patient_id * 5 + v.n', 12, 8)}), ${h('p.patient_id * 5 + v.n', 13, 11)}
      FROM typed_patients p, range(1, 5) v(n) WHERE v.n <= 1 + ${h('p.patient_id', 14, 4)};

    CREATE TABLE typed_lab_results (result_id INTEGER PRIMARY KEY, patient_id INTEGER, visit_no INTEGER, test_code VARCHAR REFERENCES typed_lab_tests(code),
      value DOUBLE, abnormal BOOLEAN, FOREIGN KEY (patient_id, visit_no) REFERENCES typed_visits(patient_id, visit_no));
    INSERT INTO typed_lab_results SELECT row_number() OVER (ORDER BY v.patient_id, v.visit_no, t.k), v.patient_id, v.visit_no,
      ['ALT', 'AST', 'CRE', 'CRP', 'GLU', 'HGB', 'K', 'LDL', 'NA', 'PLT', 'TSH', 'WBC'][1 + ${h('v.patient_id * 31 + v.visit_no * 3 + t.k', 15, 12)}],
      ${h('v.patient_id + t.k', 16, 1000)} / 10.0, ${h('v.patient_id + t.k', 17, 7)} = 0
      FROM typed_visits v, range(0, 3) t(k) WHERE t.k <= ${h('v.patient_id * 5 + v.visit_no', 18, 3)};

    CREATE TABLE typed_prescriptions (id INTEGER PRIMARY KEY, patient_id INTEGER REFERENCES typed_patients(patient_id),
      prescriber_id INTEGER REFERENCES typed_physicians(id), drug VARCHAR, refills INTEGER, month INTEGER);
    INSERT INTO typed_prescriptions SELECT i, p.patient_id, 1 + ${h('i', 20, 30)}, 'Drug ' || ${h('i', 21, 40)}, ${h('i', 22, 6)}, 1 + ${h('i', 23, 12)}
      FROM range(1, 1201) t(i) JOIN (SELECT patient_id, row_number() OVER (ORDER BY patient_id) - 1 AS rn FROM typed_patients) p ON p.rn = ${h('i', 19, 700)};
  `);
  return { name: 'healthcare', tables: ['physicians', 'wards', 'lab_tests', 'patients', 'visits', 'lab_results', 'prescriptions'] };
}

/** A music store shaped like Chinook (CamelCase names, singular tables, `ReportsTo`, `SupportRepId`, a PlaylistTrack bridge). */
export async function musicSchema(conn: DuckDBConnection): Promise<GeneratedSchema> {
  await conn.run(`
    CREATE TABLE "typed_Artist" ("ArtistId" INTEGER PRIMARY KEY, "Name" VARCHAR);
    INSERT INTO "typed_Artist" SELECT i, 'Artist ' || i FROM range(1, 121) t(i);
    CREATE TABLE "typed_Album" ("AlbumId" INTEGER PRIMARY KEY, "Title" VARCHAR, "ArtistId" INTEGER REFERENCES "typed_Artist"("ArtistId"));
    INSERT INTO "typed_Album" SELECT i, 'Album ' || i, 1 + ${h('i', 1, 120)} FROM range(1, 201) t(i);
    CREATE TABLE "typed_Genre" ("GenreId" INTEGER PRIMARY KEY, "Name" VARCHAR);
    INSERT INTO "typed_Genre" SELECT i, 'Genre ' || i FROM range(1, 26) t(i);
    CREATE TABLE "typed_MediaType" ("MediaTypeId" INTEGER PRIMARY KEY, "Name" VARCHAR);
    INSERT INTO "typed_MediaType" SELECT i, 'Media ' || i FROM range(1, 6) t(i);
    CREATE TABLE "typed_Track" ("TrackId" INTEGER PRIMARY KEY, "Name" VARCHAR, "AlbumId" INTEGER REFERENCES "typed_Album"("AlbumId"),
      "MediaTypeId" INTEGER REFERENCES "typed_MediaType"("MediaTypeId"), "GenreId" INTEGER REFERENCES "typed_Genre"("GenreId"),
      "Composer" VARCHAR, "Milliseconds" INTEGER, "Bytes" INTEGER, "UnitPrice" DECIMAL(10, 2));
    INSERT INTO "typed_Track" SELECT i, 'Track ' || i, 1 + ${h('i', 2, 200)}, 1 + ${h('i', 3, 5)}, 1 + ${h('i', 4, 25)},
      'Composer ' || ${h('i', 5, 90)}, 60000 + ${h('i', 6, 400000)}, 1000000 + ${h('i', 7, 9000000)}, CASE WHEN ${h('i', 8, 10)} = 0 THEN 1.99 ELSE 0.99 END FROM range(1, 1001) t(i);
    CREATE TABLE "typed_Playlist" ("PlaylistId" INTEGER PRIMARY KEY, "Name" VARCHAR);
    INSERT INTO "typed_Playlist" SELECT i, 'Playlist ' || i FROM range(1, 19) t(i);
    CREATE TABLE "typed_PlaylistTrack" ("PlaylistId" INTEGER REFERENCES "typed_Playlist"("PlaylistId"), "TrackId" INTEGER REFERENCES "typed_Track"("TrackId"),
      PRIMARY KEY ("PlaylistId", "TrackId"));
    INSERT INTO "typed_PlaylistTrack" SELECT DISTINCT 1 + ${h('i', 9, 18)}, 1 + ${h('i', 10, 1000)} FROM range(1, 3001) t(i);
    CREATE TABLE "typed_Employee" ("EmployeeId" INTEGER PRIMARY KEY, "LastName" VARCHAR, "FirstName" VARCHAR, "Title" VARCHAR,
      "ReportsTo" INTEGER REFERENCES "typed_Employee"("EmployeeId"), "BirthDate" DATE, "HireDate" DATE, "City" VARCHAR);
    INSERT INTO "typed_Employee" VALUES (1, 'Adams', 'Andrew', 'General Manager', NULL, DATE '1962-02-18', DATE '2002-08-14', 'Edmonton');
    INSERT INTO "typed_Employee" VALUES (2, 'Edwards', 'Nancy', 'Sales Manager', 1, DATE '1958-12-08', DATE '2002-05-01', 'Calgary');
    INSERT INTO "typed_Employee" VALUES (3, 'Peacock', 'Jane', 'Sales Support Agent', 2, DATE '1973-08-29', DATE '2002-04-01', 'Calgary'),
      (4, 'Park', 'Margaret', 'Sales Support Agent', 2, DATE '1947-09-19', DATE '2003-05-03', 'Calgary'),
      (5, 'Johnson', 'Steve', 'Sales Support Agent', 2, DATE '1965-03-03', DATE '2003-10-17', 'Calgary'),
      (6, 'Mitchell', 'Michael', 'IT Manager', 1, DATE '1973-07-01', DATE '2003-10-17', 'Calgary');
    INSERT INTO "typed_Employee" VALUES (7, 'King', 'Robert', 'IT Staff', 6, DATE '1970-05-29', DATE '2004-01-02', 'Lethbridge'),
      (8, 'Callahan', 'Laura', 'IT Staff', 6, DATE '1968-01-09', DATE '2004-03-04', 'Lethbridge');
    CREATE TABLE "typed_Customer" ("CustomerId" INTEGER PRIMARY KEY, "FirstName" VARCHAR, "LastName" VARCHAR, "Company" VARCHAR, "Country" VARCHAR,
      "SupportRepId" INTEGER REFERENCES "typed_Employee"("EmployeeId"));
    INSERT INTO "typed_Customer" SELECT i, 'First' || i, 'Last' || i, NULL, 'Country ' || (1 + ${h('i', 11, 24)}), 3 + ${h('i', 12, 3)} FROM range(1, 60) t(i);
    CREATE TABLE "typed_Invoice" ("InvoiceId" INTEGER PRIMARY KEY, "CustomerId" INTEGER REFERENCES "typed_Customer"("CustomerId"), "InvoiceDate" DATE,
      "BillingCountry" VARCHAR, "Total" DECIMAL(10, 2));
    INSERT INTO "typed_Invoice" SELECT i, 1 + ${h('i', 13, 59)}, DATE '2021-01-01' + ${h('i', 14, 1800)}, 'Country ' || (1 + ${h('i', 15, 24)}), ${h('i', 16, 2500)} / 100.0 FROM range(1, 413) t(i);
    CREATE TABLE "typed_InvoiceLine" ("InvoiceLineId" INTEGER PRIMARY KEY, "InvoiceId" INTEGER REFERENCES "typed_Invoice"("InvoiceId"),
      "TrackId" INTEGER REFERENCES "typed_Track"("TrackId"), "UnitPrice" DECIMAL(10, 2), "Quantity" INTEGER);
    INSERT INTO "typed_InvoiceLine" SELECT i, 1 + ${h('i', 17, 412)}, 1 + ${h('i', 18, 1000)}, 0.99, 1 FROM range(1, 2241) t(i);
  `);
  return { name: 'music', tables: ['Artist', 'Album', 'Genre', 'MediaType', 'Track', 'Playlist', 'PlaylistTrack', 'Employee', 'Customer', 'Invoice', 'InvoiceLine'] };
}

/** TPC-H shaped (scaled down): prefixed column names (`o_custkey`), glued `key` suffixes, sparse order keys, a composite FK lineitem -> partsupp. */
export async function tpchSchema(conn: DuckDBConnection): Promise<GeneratedSchema> {
  await conn.run(`
    CREATE TABLE typed_region (r_regionkey INTEGER PRIMARY KEY, r_name VARCHAR, r_comment VARCHAR);
    INSERT INTO typed_region SELECT i, ['AFRICA', 'AMERICA', 'ASIA', 'EUROPE', 'MIDDLE EAST'][i + 1], 'comment ' || i FROM range(0, 5) t(i);
    CREATE TABLE typed_nation (n_nationkey INTEGER PRIMARY KEY, n_name VARCHAR, n_regionkey INTEGER REFERENCES typed_region(r_regionkey), n_comment VARCHAR);
    INSERT INTO typed_nation SELECT i, 'NATION ' || i, i % 5, 'comment ' || i FROM range(0, 25) t(i);
    CREATE TABLE typed_supplier (s_suppkey INTEGER PRIMARY KEY, s_name VARCHAR, s_address VARCHAR, s_nationkey INTEGER REFERENCES typed_nation(n_nationkey),
      s_phone VARCHAR, s_acctbal DECIMAL(15, 2), s_comment VARCHAR);
    INSERT INTO typed_supplier SELECT i, 'Supplier#' || lpad(CAST(i AS VARCHAR), 9, '0'), 'addr ' || i, ${h('i', 1, 25)},
      (10 + ${h('i', 1, 25)}) || '-' || (100 + ${h('i', 2, 900)}), ${h('i', 3, 1000000)} / 100.0 - 999, 'comment' FROM range(1, 101) t(i);
    CREATE TABLE typed_customer (c_custkey INTEGER PRIMARY KEY, c_name VARCHAR, c_address VARCHAR, c_nationkey INTEGER REFERENCES typed_nation(n_nationkey),
      c_phone VARCHAR, c_acctbal DECIMAL(15, 2), c_mktsegment VARCHAR, c_comment VARCHAR);
    INSERT INTO typed_customer SELECT i, 'Customer#' || lpad(CAST(i AS VARCHAR), 9, '0'), 'addr ' || i, ${h('i', 4, 25)},
      (10 + ${h('i', 4, 25)}) || '-' || (100 + ${h('i', 5, 900)}), ${h('i', 6, 1000000)} / 100.0 - 999,
      ['AUTOMOBILE', 'BUILDING', 'FURNITURE', 'HOUSEHOLD', 'MACHINERY'][1 + ${h('i', 7, 5)}], 'comment' FROM range(1, 301) t(i);
    CREATE TABLE typed_part (p_partkey INTEGER PRIMARY KEY, p_name VARCHAR, p_mfgr VARCHAR, p_brand VARCHAR, p_type VARCHAR, p_size INTEGER,
      p_container VARCHAR, p_retailprice DECIMAL(15, 2), p_comment VARCHAR);
    INSERT INTO typed_part SELECT i, 'part ' || i, 'Manufacturer#' || (1 + ${h('i', 8, 5)}), 'Brand#' || (11 + ${h('i', 9, 45)}), 'TYPE ' || ${h('i', 10, 150)},
      1 + ${h('i', 11, 50)}, 'BOX ' || ${h('i', 12, 40)}, (90000 + i) / 100.0, 'comment' FROM range(1, 401) t(i);
    CREATE TABLE typed_partsupp (ps_partkey INTEGER REFERENCES typed_part(p_partkey), ps_suppkey INTEGER REFERENCES typed_supplier(s_suppkey),
      ps_availqty INTEGER, ps_supplycost DECIMAL(15, 2), ps_comment VARCHAR, PRIMARY KEY (ps_partkey, ps_suppkey));
    INSERT INTO typed_partsupp SELECT p, (p + k * (25 + (p - 1) // 100)) % 100 + 1, 1 + ${h('p * 4 + k', 13, 9999)}, (100 + ${h('p * 4 + k', 14, 99900)}) / 100.0, 'comment'
      FROM range(1, 401) a(p), range(0, 4) b(k);
    CREATE TABLE typed_orders (o_orderkey INTEGER PRIMARY KEY, o_custkey INTEGER REFERENCES typed_customer(c_custkey), o_orderstatus VARCHAR,
      o_totalprice DECIMAL(15, 2), o_orderdate DATE, o_orderpriority VARCHAR, o_clerk VARCHAR, o_shippriority INTEGER, o_comment VARCHAR);
    INSERT INTO typed_orders SELECT 1 + (i // 8) * 32 + i % 8, 1 + ${h('i', 15, 300)}, ['F', 'O', 'P'][1 + ${h('i', 16, 3)}], ${h('i', 17, 50000000)} / 100.0,
      DATE '1992-01-01' + ${h('i', 18, 2400)}, (1 + ${h('i', 19, 5)}) || '-PRIORITY', 'Clerk#' || lpad(CAST(1 + ${h('i', 20, 1000)} AS VARCHAR), 9, '0'), 0, 'comment'
      FROM range(0, 3000) t(i);
    CREATE TABLE typed_lineitem (l_orderkey INTEGER REFERENCES typed_orders(o_orderkey), l_partkey INTEGER, l_suppkey INTEGER, l_linenumber INTEGER,
      l_quantity DECIMAL(15, 2), l_extendedprice DECIMAL(15, 2), l_discount DECIMAL(15, 2), l_tax DECIMAL(15, 2), l_returnflag VARCHAR, l_linestatus VARCHAR,
      l_shipdate DATE, l_commitdate DATE, l_receiptdate DATE, l_shipinstruct VARCHAR, l_shipmode VARCHAR, l_comment VARCHAR,
      PRIMARY KEY (l_orderkey, l_linenumber), FOREIGN KEY (l_partkey, l_suppkey) REFERENCES typed_partsupp(ps_partkey, ps_suppkey));
    INSERT INTO typed_lineitem SELECT o.o_orderkey, ps.ps_partkey, ps.ps_suppkey, l.n, 1 + ${h('o.o_orderkey * 8 + l.n', 21, 50)}, ${h('o.o_orderkey * 8 + l.n', 22, 10000000)} / 100.0,
      ${h('o.o_orderkey * 8 + l.n', 23, 11)} / 100.0, ${h('o.o_orderkey * 8 + l.n', 24, 9)} / 100.0, ['A', 'N', 'R'][1 + ${h('o.o_orderkey * 8 + l.n', 25, 3)}], ['F', 'O'][1 + ${h('o.o_orderkey', 26, 2)}],
      o.o_orderdate + 1 + ${h('o.o_orderkey * 8 + l.n', 27, 120)}, o.o_orderdate + 30 + ${h('o.o_orderkey * 8 + l.n', 28, 60)}, o.o_orderdate + 2 + ${h('o.o_orderkey * 8 + l.n', 27, 120)},
      'DELIVER IN PERSON', ['AIR', 'MAIL', 'SHIP', 'TRUCK'][1 + ${h('o.o_orderkey * 8 + l.n', 29, 4)}], 'comment'
      FROM typed_orders o, range(1, 8) l(n),
        (SELECT ps_partkey, ps_suppkey, row_number() OVER (ORDER BY ps_partkey, ps_suppkey) - 1 AS rn FROM typed_partsupp) ps
      WHERE l.n <= 1 + ${h('o.o_orderkey', 30, 7)} AND ps.rn = ${h('o.o_orderkey * 8 + l.n', 31, 1600)};
  `);
  return { name: 'tpch', tables: ['region', 'nation', 'supplier', 'customer', 'part', 'partsupp', 'orders', 'lineitem'] };
}

/** Sakila shaped (the MySQL DVD rental sample): singular tables, two stores and two staff, a language every film shares, an all-null `original_language_id`, bridges. */
export async function sakilaSchema(conn: DuckDBConnection): Promise<GeneratedSchema> {
  await conn.run(`
    CREATE TABLE typed_country (country_id INTEGER PRIMARY KEY, country VARCHAR);
    INSERT INTO typed_country SELECT i, 'Country ' || i FROM range(1, 110) t(i);
    CREATE TABLE typed_city (city_id INTEGER PRIMARY KEY, city VARCHAR, country_id INTEGER REFERENCES typed_country(country_id));
    INSERT INTO typed_city SELECT i, 'City ' || i, 1 + ${h('i', 1, 109)} FROM range(1, 301) t(i);
    CREATE TABLE typed_address (address_id INTEGER PRIMARY KEY, address VARCHAR, district VARCHAR, city_id INTEGER REFERENCES typed_city(city_id), postal_code VARCHAR, phone VARCHAR);
    INSERT INTO typed_address SELECT i, i || ' Main Street', 'District ' || ${h('i', 2, 40)}, 1 + ${h('i', 3, 300)}, CAST(10000 + ${h('i', 4, 89999)} AS VARCHAR), CAST(${h('i', 5, 1000000000)} AS VARCHAR) FROM range(1, 421) t(i);
    CREATE TABLE typed_language (language_id INTEGER PRIMARY KEY, name VARCHAR);
    INSERT INTO typed_language VALUES (1, 'English'), (2, 'Italian'), (3, 'Japanese'), (4, 'Mandarin'), (5, 'French'), (6, 'German');
    CREATE TABLE typed_staff (staff_id INTEGER PRIMARY KEY, first_name VARCHAR, last_name VARCHAR, address_id INTEGER REFERENCES typed_address(address_id), email VARCHAR, active BOOLEAN, username VARCHAR);
    INSERT INTO typed_staff VALUES (1, 'Mike', 'Hillyer', 3, 'mike@example.com', true, 'Mike'), (2, 'Jon', 'Stephens', 4, 'jon@example.com', true, 'Jon');
    CREATE TABLE typed_store (store_id INTEGER PRIMARY KEY, manager_staff_id INTEGER UNIQUE REFERENCES typed_staff(staff_id), address_id INTEGER REFERENCES typed_address(address_id));
    INSERT INTO typed_store VALUES (1, 1, 1), (2, 2, 2);
    CREATE TABLE typed_actor (actor_id INTEGER PRIMARY KEY, first_name VARCHAR, last_name VARCHAR);
    INSERT INTO typed_actor SELECT i, 'First' || ${h('i', 6, 120)}, 'Last' || ${h('i', 7, 120)} FROM range(1, 201) t(i);
    CREATE TABLE typed_category (category_id INTEGER PRIMARY KEY, name VARCHAR);
    INSERT INTO typed_category SELECT i, 'Category ' || i FROM range(1, 17) t(i);
    CREATE TABLE typed_film (film_id INTEGER PRIMARY KEY, title VARCHAR, release_year INTEGER, language_id INTEGER REFERENCES typed_language(language_id),
      original_language_id INTEGER REFERENCES typed_language(language_id), rental_duration INTEGER, rental_rate DECIMAL(4, 2), length INTEGER,
      replacement_cost DECIMAL(5, 2), rating VARCHAR);
    INSERT INTO typed_film SELECT i, 'FILM ' || i, 2006, 1, NULL, 3 + ${h('i', 8, 5)}, [0.99, 2.99, 4.99][1 + ${h('i', 9, 3)}], 46 + ${h('i', 10, 140)},
      (999 + ${h('i', 11, 2000)}) / 100.0, ['G', 'PG', 'PG-13', 'R', 'NC-17'][1 + ${h('i', 12, 5)}] FROM range(1, 501) t(i);
    CREATE TABLE typed_film_actor (actor_id INTEGER REFERENCES typed_actor(actor_id), film_id INTEGER REFERENCES typed_film(film_id), PRIMARY KEY (actor_id, film_id));
    INSERT INTO typed_film_actor SELECT DISTINCT 1 + ${h('i', 13, 200)}, 1 + ${h('i', 14, 500)} FROM range(1, 2701) t(i);
    CREATE TABLE typed_film_category (film_id INTEGER REFERENCES typed_film(film_id), category_id INTEGER REFERENCES typed_category(category_id), PRIMARY KEY (film_id, category_id));
    INSERT INTO typed_film_category SELECT i, 1 + ${h('i', 15, 16)} FROM range(1, 501) t(i);
    CREATE TABLE typed_inventory (inventory_id INTEGER PRIMARY KEY, film_id INTEGER REFERENCES typed_film(film_id), store_id INTEGER REFERENCES typed_store(store_id));
    INSERT INTO typed_inventory SELECT i, 1 + ${h('i', 16, 480)}, 1 + ${h('i', 17, 2)} FROM range(1, 2001) t(i);
    CREATE TABLE typed_customer (customer_id INTEGER PRIMARY KEY, store_id INTEGER REFERENCES typed_store(store_id), first_name VARCHAR, last_name VARCHAR,
      email VARCHAR, address_id INTEGER REFERENCES typed_address(address_id), active INTEGER);
    INSERT INTO typed_customer SELECT i, 1 + ${h('i', 18, 2)}, 'FIRST' || i, 'LAST' || i, 'c' || i || '@example.org', 5 + i, CASE WHEN ${h('i', 19, 40)} = 0 THEN 0 ELSE 1 END FROM range(1, 401) t(i);
    CREATE TABLE typed_rental (rental_id INTEGER PRIMARY KEY, rental_date TIMESTAMP, inventory_id INTEGER REFERENCES typed_inventory(inventory_id),
      customer_id INTEGER REFERENCES typed_customer(customer_id), return_date TIMESTAMP, staff_id INTEGER REFERENCES typed_staff(staff_id));
    INSERT INTO typed_rental SELECT i, TIMESTAMP '2005-05-24 22:00:00' + INTERVAL (${h('i', 20, 8000000)}) SECOND, 1 + ${h('i', 21, 2000)}, 1 + ${h('i', 22, 400)},
      TIMESTAMP '2005-06-24 22:00:00' + INTERVAL (${h('i', 23, 8000000)}) SECOND, 1 + ${h('i', 24, 2)} FROM range(1, 4001) t(i);
    CREATE TABLE typed_payment (payment_id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES typed_customer(customer_id), staff_id INTEGER REFERENCES typed_staff(staff_id),
      rental_id INTEGER REFERENCES typed_rental(rental_id), amount DECIMAL(5, 2), payment_date TIMESTAMP);
    INSERT INTO typed_payment SELECT rental_id, customer_id, staff_id, CASE WHEN rental_id % 50 = 0 THEN NULL ELSE rental_id END, [0.99, 2.99, 4.99][1 + ${h('rental_id', 25, 3)}], rental_date FROM typed_rental;
  `);
  return { name: 'sakila', tables: ['country', 'city', 'address', 'language', 'staff', 'store', 'actor', 'category', 'film', 'film_actor', 'film_category', 'inventory', 'customer', 'rental', 'payment'] };
}

/** Northwind shaped: string customer codes, `ShipVia` -> Shippers, `ReportsTo` over two managers, a table name with a space, empty demographics tables. */
export async function northwindSchema(conn: DuckDBConnection): Promise<GeneratedSchema> {
  await conn.run(`
    CREATE TABLE "typed_Categories" ("CategoryID" INTEGER PRIMARY KEY, "CategoryName" VARCHAR, "Description" VARCHAR);
    INSERT INTO "typed_Categories" SELECT i, 'Category ' || i, 'text' FROM range(1, 9) t(i);
    CREATE TABLE "typed_Suppliers" ("SupplierID" INTEGER PRIMARY KEY, "CompanyName" VARCHAR, "City" VARCHAR, "Country" VARCHAR);
    INSERT INTO "typed_Suppliers" SELECT i, 'Supplier ' || i, 'City ' || ${h('i', 1, 20)}, 'Country ' || ${h('i', 2, 16)} FROM range(1, 30) t(i);
    CREATE TABLE "typed_Products" ("ProductID" INTEGER PRIMARY KEY, "ProductName" VARCHAR, "SupplierID" INTEGER REFERENCES "typed_Suppliers"("SupplierID"),
      "CategoryID" INTEGER REFERENCES "typed_Categories"("CategoryID"), "UnitPrice" DECIMAL(10, 4), "UnitsInStock" SMALLINT, "ReorderLevel" SMALLINT, "Discontinued" INTEGER);
    INSERT INTO "typed_Products" SELECT i, 'Product ' || i, 1 + ${h('i', 3, 29)}, 1 + ${h('i', 4, 8)}, (100 + ${h('i', 5, 20000)}) / 100.0, ${h('i', 6, 120)},
      [0, 5, 10, 15, 20, 25, 30][1 + ${h('i', 7, 7)}], CASE WHEN ${h('i', 8, 9)} = 0 THEN 1 ELSE 0 END FROM range(1, 78) t(i);
    CREATE TABLE "typed_Region" ("RegionID" INTEGER PRIMARY KEY, "RegionDescription" VARCHAR);
    INSERT INTO "typed_Region" VALUES (1, 'Eastern'), (2, 'Western'), (3, 'Northern'), (4, 'Southern');
    CREATE TABLE "typed_Territories" ("TerritoryID" VARCHAR PRIMARY KEY, "TerritoryDescription" VARCHAR, "RegionID" INTEGER REFERENCES "typed_Region"("RegionID"));
    INSERT INTO "typed_Territories" SELECT lpad(CAST(1000 + i * 311 AS VARCHAR), 5, '0'), 'Territory ' || i, 1 + i % 4 FROM range(1, 54) t(i);
    CREATE TABLE "typed_Employees" ("EmployeeID" INTEGER PRIMARY KEY, "LastName" VARCHAR, "FirstName" VARCHAR, "Title" VARCHAR, "BirthDate" DATE,
      "HireDate" DATE, "ReportsTo" INTEGER REFERENCES "typed_Employees"("EmployeeID"), "Extension" VARCHAR);
    INSERT INTO "typed_Employees" VALUES (2, 'Fuller', 'Andrew', 'Vice President, Sales', DATE '1952-02-19', DATE '1992-08-14', NULL, '3457');
    INSERT INTO "typed_Employees" VALUES (1, 'Davolio', 'Nancy', 'Sales Representative', DATE '1948-12-08', DATE '1992-05-01', 2, '5467'),
      (3, 'Leverling', 'Janet', 'Sales Representative', DATE '1963-08-30', DATE '1992-04-01', 2, '3355'),
      (4, 'Peacock', 'Margaret', 'Sales Representative', DATE '1937-09-19', DATE '1993-05-03', 2, '5176'),
      (5, 'Buchanan', 'Steven', 'Sales Manager', DATE '1955-03-04', DATE '1993-10-17', 2, '3453'),
      (8, 'Callahan', 'Laura', 'Inside Sales Coordinator', DATE '1958-01-09', DATE '1994-03-05', 2, '2344');
    INSERT INTO "typed_Employees" VALUES (6, 'Suyama', 'Michael', 'Sales Representative', DATE '1963-07-02', DATE '1993-10-17', 5, '428'),
      (7, 'King', 'Robert', 'Sales Representative', DATE '1960-05-29', DATE '1994-01-02', 5, '465'),
      (9, 'Dodsworth', 'Anne', 'Sales Representative', DATE '1966-01-27', DATE '1994-11-15', 5, '452');
    CREATE TABLE "typed_EmployeeTerritories" ("EmployeeID" INTEGER REFERENCES "typed_Employees"("EmployeeID"), "TerritoryID" VARCHAR REFERENCES "typed_Territories"("TerritoryID"),
      PRIMARY KEY ("EmployeeID", "TerritoryID"));
    INSERT INTO "typed_EmployeeTerritories" SELECT DISTINCT 1 + ${h('i', 9, 9)}, lpad(CAST(1000 + (1 + ${h('i', 10, 53)}) * 311 AS VARCHAR), 5, '0') FROM range(1, 50) t(i);
    CREATE TABLE "typed_Customers" ("CustomerID" VARCHAR PRIMARY KEY, "CompanyName" VARCHAR, "ContactName" VARCHAR, "City" VARCHAR, "Country" VARCHAR, "Phone" VARCHAR);
    INSERT INTO "typed_Customers" SELECT upper(substr(md5(CAST(i AS VARCHAR)), 1, 5)), 'Company ' || i, 'Contact ' || i, 'City ' || ${h('i', 11, 60)},
      'Country ' || ${h('i', 12, 21)}, CAST(${h('i', 13, 1000000)} AS VARCHAR) FROM range(1, 92) t(i);
    CREATE TABLE "typed_CustomerDemographics" ("CustomerTypeID" VARCHAR PRIMARY KEY, "CustomerDesc" VARCHAR);
    CREATE TABLE "typed_CustomerCustomerDemo" ("CustomerID" VARCHAR REFERENCES "typed_Customers"("CustomerID"),
      "CustomerTypeID" VARCHAR REFERENCES "typed_CustomerDemographics"("CustomerTypeID"), PRIMARY KEY ("CustomerID", "CustomerTypeID"));
    CREATE TABLE "typed_Shippers" ("ShipperID" INTEGER PRIMARY KEY, "CompanyName" VARCHAR, "Phone" VARCHAR);
    INSERT INTO "typed_Shippers" VALUES (1, 'Speedy Express', '(503) 555-9831'), (2, 'United Package', '(503) 555-3199'), (3, 'Federal Shipping', '(503) 555-9931');
    CREATE TABLE "typed_Orders" ("OrderID" INTEGER PRIMARY KEY, "CustomerID" VARCHAR REFERENCES "typed_Customers"("CustomerID"),
      "EmployeeID" INTEGER REFERENCES "typed_Employees"("EmployeeID"), "OrderDate" DATE, "RequiredDate" DATE, "ShippedDate" DATE,
      "ShipVia" INTEGER REFERENCES "typed_Shippers"("ShipperID"), "Freight" DECIMAL(10, 4), "ShipCity" VARCHAR, "ShipCountry" VARCHAR);
    INSERT INTO "typed_Orders" SELECT 10247 + i, c."CustomerID", 1 + ${h('i', 14, 9)}, DATE '1996-07-04' + ${h('i', 15, 660)}, DATE '1996-08-01' + ${h('i', 15, 660)},
      DATE '1996-07-10' + ${h('i', 15, 660)}, 1 + ${h('i', 16, 3)}, ${h('i', 17, 100000)} / 100.0, 'City ' || ${h('i', 18, 60)}, 'Country ' || ${h('i', 19, 21)}
      FROM range(1, 831) t(i) JOIN (SELECT "CustomerID", row_number() OVER (ORDER BY "CustomerID") - 1 AS rn FROM "typed_Customers") c ON c.rn = ${h('i', 20, 89)};
    CREATE TABLE "typed_Order Details" ("OrderID" INTEGER REFERENCES "typed_Orders"("OrderID"), "ProductID" INTEGER REFERENCES "typed_Products"("ProductID"),
      "UnitPrice" DECIMAL(10, 4), "Quantity" SMALLINT, "Discount" REAL, PRIMARY KEY ("OrderID", "ProductID"));
    INSERT INTO "typed_Order Details" SELECT DISTINCT ON (o, p) o, p, 10.0, 1 + ${h('o * 5 + k', 21, 120)}, [0, 0.05, 0.1, 0.15, 0.2, 0.25][1 + ${h('o * 5 + k', 22, 6)}]
      FROM (SELECT 10247 + i AS o, k, 1 + ${h('i * 5 + k', 23, 77)} AS p FROM range(1, 831) t(i), range(0, 3) u(k) WHERE k <= ${h('i', 24, 3)});
  `);
  return { name: 'northwind', tables: ['Categories', 'Suppliers', 'Products', 'Region', 'Territories', 'Employees', 'EmployeeTerritories', 'Customers', 'CustomerDemographics', 'CustomerCustomerDemo', 'Shippers', 'Orders', 'Order Details'] };
}

/** The foreign keys declared in DuckDB on `typed_*` tables, as logical table names. */
export function declaredForeignKeys(conn: DuckDBConnection): Promise<ForeignKeyRef[]> {
  return _duckdbForeignKeys(conn, (table, column) => column ?? table.replace(/^typed_/, ''));
}
