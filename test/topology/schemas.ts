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
import { queryRows } from '../../nodes/duckdb.ts';
import type { ForeignKeyRef } from '../../nodes/enrichment/topology/evaluate.ts';

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
    INSERT INTO typed_dept_manager SELECT 10000 + 3 * i + k, 'd00' || i, DATE '1990-01-01' + CAST(365 * k AS INTEGER), DATE '1990-01-01' + CAST(365 * (k + 1) AS INTEGER) FROM range(1, 10) t(i), range(0, 2) u(k);

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

/** The foreign keys declared in DuckDB on `typed_*` tables, as logical table names. */
export async function declaredForeignKeys(conn: DuckDBConnection): Promise<ForeignKeyRef[]> {
  const rows = await queryRows<{ table_name: string; constraint_column_names: string[]; referenced_table: string; referenced_column_names: string[] }>(conn,
    `SELECT table_name, constraint_column_names, referenced_table, referenced_column_names FROM duckdb_constraints() WHERE constraint_type = 'FOREIGN KEY'`);
  const logical = (t: string) => t.replace(/^typed_/, '');
  return rows.map((r) => ({ fromTable: logical(r.table_name), fromColumns: r.constraint_column_names, toTable: logical(r.referenced_table), toColumns: r.referenced_column_names }));
}
